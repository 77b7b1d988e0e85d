#!/usr/bin/env python3
"""Samples a proxy's memory while a load runs: RSS of its processes and, for Rollforward, what its
admin /metrics says about the JVM and Netty.

usage: proxy_memory.py --seconds S [--interval 1] [--admin PORT] PID...

Every INTERVAL seconds for S seconds: RSS (MiB) of the PIDs, and with --admin the Prometheus
samples netty_allocator_memory_used{memory_type="direct"} (Netty's pooled direct memory, every
allocator summed), jvm_memory_used_bytes{area="heap"}, jvm_buffer_memory_used_bytes{id="direct"}
and rollforward_buffered_bytes (when the proxy has that gauge). Prints one JSON line with the
maximum and the last value of each (MiB), and how many samples were taken. SIGTERM ends the
sampling early (the figures so far are printed).
"""
import argparse
import json
import re
import signal
import subprocess
import time
import urllib.request

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')
SERIES = {
    "netty_direct_mib": ("netty_allocator_memory_used", 'memory_type="direct"'),
    "heap_used_mib": ("jvm_memory_used_bytes", 'area="heap"'),
    "jvm_direct_buffers_mib": ("jvm_buffer_memory_used_bytes", 'id="direct"'),
    "buffered_mib": ("rollforward_buffered_bytes", ""),
}


def rss_mib(pids):
    out = subprocess.run(["ps", "-o", "rss=", "-p", ",".join(pids)], capture_output=True, text=True).stdout
    return sum(int(x) for x in out.split()) / 1024


def scrape(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            text = r.read().decode()
    except OSError:
        return {}
    values = {}
    for line in text.splitlines():
        m = SAMPLE.match(line)
        if not m:
            continue
        name, labels, value = m.group(1), m.group(2) or "", m.group(3)
        for key, (series, label) in SERIES.items():
            if name == series and label in labels:
                values[key] = values.get(key, 0.0) + float(value) / (1024 * 1024)
    return values


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--admin", type=int)
    ap.add_argument("pids", nargs="+")
    args = ap.parse_args()
    maxima, last, n = {}, {}, 0
    end = time.monotonic() + args.seconds
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while time.monotonic() < end and not stop:
        values = {"rss_mib": rss_mib(args.pids)}
        if args.admin:
            values.update(scrape(args.admin))
        for k, v in values.items():
            maxima[k] = max(maxima.get(k, v), v)
            last[k] = v
        n += 1
        time.sleep(args.interval)
    print(json.dumps({"samples": n, "max": {k: round(v, 1) for k, v in maxima.items()},
                      "last": {k: round(v, 1) for k, v in last.items()}}))


if __name__ == "__main__":
    main()
