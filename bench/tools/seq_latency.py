#!/usr/bin/env python3
"""Sequential latency on keep-alive connections: added latency at low load, targets side by side.

    seq_latency.py PATH --target NAME=PORT[=PID,PID...] [--target ...] [--count 2000] [--warmup 1000]
                   [--limit 120] [--out-dir DIR --tag TAG]

Opens one HTTP/1.1 keep-alive connection to 127.0.0.1:PORT per target and sends GET PATH on them
one request at a time, round-robin over the targets in a shuffled order each turn, reading each
whole reply (Content-Length framing) before sending the next: only one request is in flight on
the machine at any moment, and whatever else the machine is doing hits every target alike at the
same moment (a shared, noisy machine makes separate runs of each target incomparable). WARMUP
turns are not recorded. Prints one JSON line per target: count, errors, p50/p90/p99/p99.9/max/mean
in ms, how many requests took more than 2x / 4x the target's median and more than 1 ms.
With PIDs, also the scheduler figures of those processes (all threads) over the measured turns,
per request: CPU, time waiting for a CPU (run queue), and voluntary / involuntary context
switches (bench/tools/sched_stats.py). With --out-dir, DIR/latency-TAG-NAME.slow lists every
request slower than 2x the median as "index epoch_ms latency_ms" (to match against GC logs or a
JFR recording, bench/tools/JfrStalls.java) and DIR/latency-TAG-NAME.threads the per-thread figures.
The client's own garbage collector is off while measuring. Bounded by COUNT and by LIMIT seconds.
"""
import argparse
import gc
import json
import os
import random
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sched_stats  # noqa: E402


def read_reply(sock, buf):
    """Reads one reply; returns (status, leftover bytes). Raises on a closed connection."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the head")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        n = name.strip().lower()
        if n == b"content-length":
            length = int(value.strip())
        elif n == b"transfer-encoding":
            raise ValueError("chunked reply: this client reads Content-Length framing only")
    if length is None:
        raise ValueError("reply without Content-Length")
    while len(rest) < length:
        chunk = sock.recv(max(65536, length - len(rest)))
        if not chunk:
            raise ConnectionError("closed mid-body")
        rest += chunk
    return status, rest[length:]


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    k = min(len(sorted_values) - 1, max(0, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


class Target:
    def __init__(self, spec, path):
        parts = spec.split("=")
        self.name, self.port = parts[0], int(parts[1])
        self.specs = [p for p in parts[2].split(",") if p] if len(parts) > 2 else []
        self.request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                        "User-Agent: seq-latency\r\nAccept: */*\r\n\r\n").encode()
        self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.errors = 0
        self.lat = []
        self.stamps = []
        self.broken = None
        self.before = self.after = None

    def one(self, record):
        wall = time.time()
        t0 = time.perf_counter_ns()
        self.sock.sendall(self.request)
        status, self.buf = read_reply(self.sock, self.buf)
        dt = time.perf_counter_ns() - t0
        if record:
            if status != 200:
                self.errors += 1
            self.lat.append(dt / 1e6)
            self.stamps.append(wall)

    def result(self):
        s = sorted(self.lat)
        p50 = percentile(s, 50)
        r = {
            "target": self.name, "count": len(s), "errors": self.errors + (1 if self.broken else 0),
            "p50_ms": p50, "p90_ms": percentile(s, 90), "p99_ms": percentile(s, 99),
            "p999_ms": percentile(s, 99.9), "max_ms": s[-1] if s else None,
            "mean_ms": sum(s) / len(s) if s else None,
            "over_2x_p50": sum(1 for v in s if p50 and v > 2 * p50),
            "over_4x_p50": sum(1 for v in s if p50 and v > 4 * p50),
            "over_1ms": sum(1 for v in s if v > 1.0),
        }
        if self.broken:
            r["stopped"] = self.broken
        if self.before and self.after and s:
            d = [a - b for a, b in zip(sched_stats.sum_threads(self.after), sched_stats.sum_threads(self.before))]
            n = len(s)
            r.update({"proxy_cpu_us_per_req": d[0] / 1e3 / n, "run_queue_wait_us_per_req": d[1] / 1e3 / n,
                      "voluntary_switches_per_req": d[3] / n, "involuntary_switches_per_req": d[4] / n})
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}

    def write_logs(self, out_dir, tag):
        s = sorted(self.lat)
        p50 = percentile(s, 50)
        if p50:
            with open(os.path.join(out_dir, f"latency-{tag}-{self.name}.slow"), "w") as f:
                for i, (v, w) in enumerate(zip(self.lat, self.stamps)):
                    if v > 2 * p50:
                        f.write(f"{i} {w * 1000:.3f} {v:.3f}\n")
        if self.before and self.after and s:
            n = len(s)
            rows = []
            for key, after in self.after.items():
                t = [a - b for a, b in zip(after, self.before.get(key, [0] * 5))]
                if t[0] or t[3]:
                    rows.append((t[0] / 1e3 / n, t[1] / 1e3 / n, t[3] / n, t[4] / n, key))
            with open(os.path.join(out_dir, f"latency-{tag}-{self.name}.threads"), "w") as f:
                f.write("# per measured request: cpu_us run_queue_wait_us voluntary involuntary  pid tid thread\n")
                for r in sorted(rows, key=lambda r: -r[0]):
                    f.write("%.2f %.2f %.3f %.3f  %d %d %s\n" % (r[0], r[1], r[2], r[3], *r[4]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--target", action="append", required=True, help="NAME=PORT[=PID,PID...]")
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--warmup", type=int, default=1000)
    ap.add_argument("--limit", type=float, default=120.0, help="seconds, hard bound on the whole run")
    ap.add_argument("--out-dir")
    ap.add_argument("--tag", default="run")
    args = ap.parse_args()

    targets = [Target(t, args.path) for t in args.target]
    order = list(targets)
    shuffle = random.Random(1).shuffle
    deadline = time.monotonic() + args.limit
    gc.disable()
    try:
        for i in range(args.warmup + args.count):
            if time.monotonic() > deadline:
                print(f"stopped at the time limit after {i} turns", file=sys.stderr)
                break
            if i == args.warmup:
                for t in targets:
                    t.before = sched_stats.per_thread(t.specs) if t.specs else None
            shuffle(order)
            for t in order:
                if t.broken:
                    continue
                try:
                    t.one(i >= args.warmup)
                except (OSError, ValueError) as e:
                    t.broken = str(e)
                    print(f"{t.name} stopped: {e}", file=sys.stderr)
            if all(t.broken for t in targets):
                break
    finally:
        for t in targets:
            if t.before is not None:
                t.after = sched_stats.per_thread(t.specs)
            t.sock.close()
        gc.enable()
    for t in targets:
        print(json.dumps(t.result()))
        if args.out_dir:
            t.write_logs(args.out_dir, args.tag)


if __name__ == "__main__":
    main()
