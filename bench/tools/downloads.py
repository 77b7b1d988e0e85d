#!/usr/bin/env python3
"""N concurrent downloads of one URL on 127.0.0.1, checked byte for byte; optionally slow readers
and a kill command fired mid-download. For the streaming and memory scenarios.

usage: downloads.py PORT PATH --clients N [--expect-sha256 HEX] [--rate-kibps R] [--rcvbuf BYTES]
                    [--max-seconds S] [--kill-cmd CMD --kill-at-fraction F --expected-bytes B
                    [--kill-after-seconds T]]

Every client opens its own connection, sends one GET (HTTP/1.1, Connection: close) and reads the
reply whole (Content-Length, chunked or close-delimited), hashing the body with SHA-256. With
--rate-kibps each client reads no faster than R KiB/s, with --rcvbuf a small socket receive
buffer: a slow client whose TCP window fills up, so the proxy has to hold or pause. Every client
stops at --max-seconds (a slow client of a big file is cut there on purpose: "cut" below, not an
error). With --kill-cmd, the command runs once (bash -c) when the clients have received F of
--expected-bytes on average, or at --kill-after-seconds if that comes first (a proxy that sends
nothing before the whole reply is buffered never reaches F).

Prints one JSON line: clients, statuses, complete (whole body as framed), identical (complete and
SHA-256 equal to --expect-sha256), errors (no reply, reset, short body, status >= 400), cut
(stopped at --max-seconds), bytes, seconds, first-byte times (median/max ms), when the kill ran,
and a few distinct errors (with the start of the body of an error status).
"""
import argparse
import asyncio
import hashlib
import json
import socket
import statistics
import subprocess
import sys
import time


class Client:
    def __init__(self):
        self.status = None
        self.bytes = 0
        self.complete = False
        self.sha256 = None
        self.error = None
        self.cut = False
        self.first_byte_ms = None
        self.body_start = b""


async def connect(port, rcvbuf):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    return await asyncio.open_connection(sock=sock)


async def download(c, args, started, progress):
    reader = writer = None
    digest = hashlib.sha256()
    rate = args.rate_kibps * 1024 if args.rate_kibps else None
    try:
        reader, writer = await connect(args.port, args.rcvbuf)
        writer.write(f"GET {args.path} HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        c.first_byte_ms = (time.monotonic() - started) * 1000
        lines = head.decode("latin-1").split("\r\n")
        c.status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        length = int(headers["content-length"]) if "content-length" in headers else None
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        t0 = time.monotonic()

        async def take(n):
            data = await reader.read(n)
            if data:
                if c.status >= 400 and len(c.body_start) < 160:
                    c.body_start += data[:160]
                digest.update(data)
                c.bytes += len(data)
                progress[0] += len(data)
                if rate:
                    ahead = c.bytes / rate - (time.monotonic() - t0)
                    if ahead > 0:
                        await asyncio.sleep(ahead)
            return data

        if chunked:
            while True:
                size_line = await reader.readuntil(b"\r\n")
                size = int(size_line.split(b";")[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")
                    c.complete = True
                    break
                left = size
                while left:
                    data = await take(min(left, 65536))
                    if not data:
                        raise ConnectionError("closed mid-chunk")
                    left -= len(data)
                await reader.readexactly(2)
        else:
            while length is None or c.bytes < length:
                data = await take(65536 if length is None else min(65536, length - c.bytes))
                if not data:
                    if length is None:
                        c.complete = True
                        break
                    raise ConnectionError(f"closed after {c.bytes} of {length} body bytes")
            else:
                c.complete = True
        c.sha256 = digest.hexdigest()
    except asyncio.CancelledError:
        c.cut = True
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, IndexError) as e:
        c.error = f"{type(e).__name__}: {e}"
    finally:
        if writer:
            writer.close()


async def main_async(args):
    clients = [Client() for _ in range(args.clients)]
    progress = [0]
    started = time.monotonic()
    tasks = [asyncio.create_task(download(c, args, started, progress)) for c in clients]
    killed_at = None
    deadline = started + args.max_seconds
    while any(not t.done() for t in tasks) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        if args.kill_cmd and killed_at is None:
            fraction = progress[0] / (args.clients * args.expected_bytes) if args.expected_bytes else 0
            elapsed = time.monotonic() - started
            if fraction >= args.kill_at_fraction or (args.kill_after_seconds and elapsed >= args.kill_after_seconds):
                rc = subprocess.run(["bash", "-c", args.kill_cmd], timeout=30).returncode
                killed_at = {"seconds": round(elapsed, 3), "mean_fraction_received": round(fraction, 3), "rc": rc}
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    seconds = time.monotonic() - started
    statuses = {}
    for c in clients:
        statuses[str(c.status)] = statuses.get(str(c.status), 0) + 1
    fb = [c.first_byte_ms for c in clients if c.first_byte_ms is not None]
    result = {
        "clients": args.clients,
        "statuses": statuses,
        "complete": sum(1 for c in clients if c.complete),
        "identical": sum(1 for c in clients if c.complete and c.status == 200
                         and (args.expect_sha256 is None or c.sha256 == args.expect_sha256)),
        "errors": sum(1 for c in clients if c.error or (c.status is not None and c.status >= 400)),
        "cut": sum(1 for c in clients if c.cut),
        "bytes": sum(c.bytes for c in clients),
        "seconds": round(seconds, 3),
        "first_byte_ms_median": round(statistics.median(fb), 1) if fb else None,
        "first_byte_ms_max": round(max(fb), 1) if fb else None,
        "killed": killed_at,
        "error_samples": sorted({c.error for c in clients if c.error}
                                | {f"{c.status}: {c.body_start.decode('utf-8', 'replace').strip()[:150]}"
                                   for c in clients if c.status and c.status >= 400})[:5],
    }
    print(json.dumps(result))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("path")
    ap.add_argument("--clients", type=int, required=True)
    ap.add_argument("--expect-sha256")
    ap.add_argument("--rate-kibps", type=float)
    ap.add_argument("--rcvbuf", type=int)
    ap.add_argument("--max-seconds", type=float, default=60)
    ap.add_argument("--kill-cmd")
    ap.add_argument("--kill-at-fraction", type=float, default=0.3)
    ap.add_argument("--kill-after-seconds", type=float)
    ap.add_argument("--expected-bytes", type=int)
    args = ap.parse_args()
    if args.kill_cmd and not args.expected_bytes:
        sys.exit("--kill-cmd needs --expected-bytes")
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
