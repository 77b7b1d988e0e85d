#!/usr/bin/env python3
"""Time to the first byte of a reply, and for an event stream the time of each event.

usage: first_bytes.py PORT PATH [--repeat N] [--events] [--max-seconds S] [--gap S] [--for-seconds T]

For each of N requests (a fresh connection each, one after the other) to 127.0.0.1:PORT: the time
from sending the request to the end of the reply head ("head_ms") and to the first body byte
("first_byte_ms"). With --events (a text/event-stream): the times at which each "data:" line
arrived, until the stream ends or S seconds pass. Without --events the connection is closed after
the first body bytes (a big download is not read to the end). Prints one JSON line with the
medians over the N requests and the per-request figures. --gap S waits S seconds between
requests: a proxy that finishes a request on its servers after the client left (reading the rest
of the reply) would otherwise serve the next probe while still reading the last one. --for-seconds T stops
after T seconds even if fewer than N requests were made (a warm-up load of a given length).
"""
import argparse
import json
import socket
import statistics
import time


def one(port, path, events, max_seconds):
    sock = socket.create_connection(("127.0.0.1", port), timeout=max_seconds)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    deadline = time.monotonic() + max_seconds
    t0 = time.monotonic()
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    buf = b""
    head_ms = first_ms = None
    status = None
    event_ms = []
    body_seen = 0
    try:
        while time.monotonic() < deadline:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data = sock.recv(65536)
            except socket.timeout:
                break
            if not data:
                break
            now = (time.monotonic() - t0) * 1000
            if head_ms is None:
                buf += data
                if b"\r\n\r\n" not in buf:
                    continue
                head, _, body = buf.partition(b"\r\n\r\n")
                head_ms = now
                status = int(head.split(b"\r\n")[0].split()[1])
                data = body
                buf = b""
            if data and first_ms is None:
                first_ms = now
            body_seen += len(data)
            if not events:
                if first_ms is not None:
                    break
                continue
            buf += data
            while b"\n" in buf:
                line, _, buf = buf.partition(b"\n")
                if line.startswith(b"data:"):
                    event_ms.append(round(now, 1))
    finally:
        sock.close()
    r = {"status": status, "head_ms": head_ms and round(head_ms, 2), "first_byte_ms": first_ms and round(first_ms, 2)}
    if events:
        r["event_ms"] = event_ms
    return r


def med(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("path")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--events", action="store_true")
    ap.add_argument("--max-seconds", type=float, default=15)
    ap.add_argument("--gap", type=float, default=0)
    ap.add_argument("--for-seconds", type=float, default=None)
    args = ap.parse_args()
    runs = []
    stop_at = None if args.for_seconds is None else time.monotonic() + args.for_seconds
    for i in range(args.repeat):
        if stop_at is not None and time.monotonic() >= stop_at:
            break
        if i > 0 and args.gap > 0:
            time.sleep(args.gap)
        try:
            runs.append(one(args.port, args.path, args.events, args.max_seconds))
        except OSError as e:
            runs.append({"error": str(e)})
    result = {
        "requests": len(runs),
        "errors": sum(1 for r in runs if "error" in r or (r.get("status") or 0) >= 400),
        "head_ms_median": med([r.get("head_ms") for r in runs]),
        "first_byte_ms_median": med([r.get("first_byte_ms") for r in runs]),
    }
    if args.events:
        result["events_median"] = med([len(r.get("event_ms", [])) for r in runs])
        result["first_event_ms_median"] = med([(r.get("event_ms") or [None])[0] for r in runs])
        result["last_event_ms_median"] = med([(r.get("event_ms") or [None])[-1] for r in runs])
    result["runs"] = runs
    print(json.dumps(result))


if __name__ == "__main__":
    main()
