#!/usr/bin/env python3
"""Bounded client load for the dashboard preview: about RATE requests/s for SECONDS, then stops.

usage: load.py PROXY_PORT SECONDS RATE
Mostly GET / and /slow?ms=50..250, one in ten GET /report (master and backup answer it
differently: the divergence panel), and at 25% and 75% of the run a burst of bad requests (a
malformed request line, an oversized header) for the rejection panel. Loopback only.
"""
import http.client
import random
import socket
import sys
import threading
import time

port, seconds, rate = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
workers = 8
deadline = time.monotonic() + seconds
counts = {"ok": 0, "error": 0}
lock = threading.Lock()


def client():
    conn = None
    while time.monotonic() < deadline:
        path = random.choice(["/", "/", "/slow?ms=%d" % random.randint(50, 250), "/", "/slow?ms=80"])
        if random.random() < 0.1:
            path = "/report"
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            ok = r.status == 200
        except (OSError, http.client.HTTPException):
            ok, conn = False, None
        with lock:
            counts["ok" if ok else "error"] += 1
        time.sleep(random.expovariate(rate / workers))


def bad_requests():
    for at in (0.25, 0.75):
        time.sleep(max(0.0, deadline - seconds * (1 - at) - time.monotonic()))
        for raw in [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n"] * 3:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(raw)
                try:
                    s.recv(4096)
                except OSError:
                    pass


threads = [threading.Thread(target=client) for _ in range(workers)] + [threading.Thread(target=bad_requests)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"load: {counts['ok']} answered 200, {counts['error']} errors")
