#!/usr/bin/env python3
"""Summarises wrk --latency outputs named tput-<size>-<target>-r<round>.txt into a Markdown table.

Per (size, target): median over rounds of req/s, p50 and p99; errors summed; "copied to backup"
is the backup Apache's request count over the requests wrk completed (mod_status counters). Ratios are
median req/s over the median of apache-direct and of nginx-mirror (the closest existing
"copy every request to a second server" setup).

usage: throughput_report.py OUT_DIR TARGET...
"""
import glob
import os
import re
import statistics
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def parse(path):
    with open(path) as f:
        text = f.read()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = (sum(int(x) for x in sock.groups()) if sock else 0) + (int(non2xx.group(1)) if non2xx else 0)
    served = re.search(r"^\s+(\d+) requests in", text, re.M)
    origins = re.search(r"ORIGIN_REQUESTS master=(-?\d+) backup=(-?\d+)", text)
    if not (rps and p50 and p99):
        return None
    # Share of client requests that reached the backup too: 1.0 for a working mirror.
    copied = int(origins.group(2)) / int(served.group(1)) if origins and served and int(served.group(1)) else None
    return float(rps.group(1)), to_ms(p50.group(1)), to_ms(p99.group(1)), errors, copied


def fmt(v, digits=2):
    return "n/a" if v is None else f"{v:.{digits}f}"


def main():
    out, targets = sys.argv[1], sys.argv[2:]
    sizes = sorted({re.match(r"tput-([^-]+)-", os.path.basename(p)).group(1)
                    for p in glob.glob(os.path.join(out, "tput-*-r*.txt"))}, key=lambda s: int(s.rstrip("k")))
    for size in sizes:
        medians = {}
        for target in targets:
            runs = [parse(p) for p in sorted(glob.glob(os.path.join(out, f"tput-{size}-{target}-r*.txt")))]
            good = [r for r in runs if r]
            if good:
                copied = [r[4] for r in good if r[4] is not None]
                medians[target] = (statistics.median(r[0] for r in good), statistics.median(r[1] for r in good),
                                   statistics.median(r[2] for r in good), sum(r[3] for r in good), len(good), len(runs),
                                   statistics.median(copied) if copied else None)
            else:
                medians[target] = None
        direct = medians.get("apache-direct")
        mirror = medians.get("nginx-mirror")
        print(f"\n**{size}B file** (`GET /{size}.bin`), median of rounds\n")
        print("| target | req/s | p50 ms | p99 ms | errors | rounds ok | vs apache-direct | vs nginx-mirror | copied to backup |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for target in targets:
            m = medians.get(target)
            if m is None:
                print(f"| {target} | failed | | | | 0 | | | |")
                continue
            vs_direct = fmt(m[0] / direct[0]) if direct else "n/a"
            vs_mirror = fmt(m[0] / mirror[0]) if mirror else "n/a"
            print(f"| {target} | {m[0]:.0f} | {fmt(m[1], 3)} | {fmt(m[2], 3)} | {m[3]} | {m[4]}/{m[5]} "
                  f"| {vs_direct} | {vs_mirror} | {fmt(m[6])} |")


if __name__ == "__main__":
    main()
