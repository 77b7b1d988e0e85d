#!/usr/bin/env python3
"""Takeover probe, the Python twin of the namespace tests' ProbeClientMain.

probe.py HOST PORT COUNT GAP_MS TIMEOUT_MS: at most COUNT requests, one at a time, each on a new
connection (as a browser after a takeover would), GAP_MS apart, each bounded by TIMEOUT_MS.
Prints one line per request: "start_ms end_ms ok NAME" (NAME from the "ok from NAME" body) or
"start_ms end_ms fail WHY", wall-clock milliseconds comparable with the caller's `date +%s%3N`.
"""
import socket
import sys
import time


def request(host, port, timeout):
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("ascii"))
            chunks = []
            while True:
                data = s.recv(4096)
                if not data:
                    break
                chunks.append(data)
        text = b"".join(chunks).decode("latin-1")
        at = text.find("ok from ")
        if text.startswith("HTTP/1.") and " 200 " in text.split("\r\n", 1)[0] and at >= 0:
            return "ok " + text[at + len("ok from "):].strip()
        return "fail " + (text.splitlines()[0].replace(" ", "_") if text else "(empty_reply)")
    except OSError as e:
        return "fail " + type(e).__name__


def main():
    host, port, count, gap, timeout = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    for _ in range(count):
        start = int(time.time() * 1000)
        outcome = request(host, port, timeout / 1000)
        print(start, int(time.time() * 1000), outcome, flush=True)
        time.sleep(gap / 1000)


if __name__ == "__main__":
    main()
