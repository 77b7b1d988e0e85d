#!/usr/bin/env python3
"""Tables for the sequential-latency scenario from latency-<size>-r<round>.json files (one JSON line
per target, written by seq_latency.py).

Per (size, target): median over rounds of p50, p99, p99.9, max, and of the count of requests over
twice the median; errors summed; and, per request, the target's CPU, how often its threads went to
sleep (voluntary context switches: each one a wake-up that may wait for a CPU on a busy machine),
their run-queue wait, and how often they were preempted (involuntary switches). Two explicit ratios answer the goals of issue 11:
rollforward-mirror against nginx-mirror, and rollforward-single (pass-through) against HAProxy.

usage: latency_report.py OUT_DIR TARGET...
"""
import glob
import json
import os
import re
import statistics
import sys


def load(path):
    """{target: result} of one round."""
    rows = {}
    try:
        with open(path) as f:
            for line in f:
                try:
                    r = json.loads(line)
                    rows[r["target"]] = r
                except (ValueError, KeyError):
                    pass
    except OSError:
        pass
    return rows


def med(rows, key):
    vals = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def fmt(v, digits=3):
    return "n/a" if v is None else f"{v:.{digits}f}"


def ratio(a, b):
    return "n/a" if a is None or not b else f"{a / b:.2f}x"


PAIRS = (("rollforward-mirror", "nginx-mirror", "mirror"), ("rollforward-single", "haproxy", "pass-through"))


def main():
    out, targets = sys.argv[1], sys.argv[2:]
    sizes = sorted({re.match(r"latency-([^-]+)-r\d+\.json$", os.path.basename(p)).group(1)
                    for p in glob.glob(os.path.join(out, "latency-*-r*.json"))}, key=lambda s: int(s.rstrip("k")))
    for size in sizes:
        stats = {}
        print()
        print(f"**{size}B file** (`GET /{size}.bin`)")
        print()
        print("| target | rounds ok | requests/round | errors | p50 ms | p99 ms | p99.9 ms | max ms | > 2x p50 | > 1 ms "
              "| proxy CPU µs/req | sleeps (voluntary switches)/req | run-queue wait µs/req | preempted/req |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for t in targets:
            paths = sorted(glob.glob(os.path.join(out, f"latency-{size}-r*.json")))
            rows = [r for r in (load(p).get(t) for p in paths) if r and r.get("count")]
            if not rows:
                print(f"| {t} | 0/{len(paths)} | | | | | | | | | | | | |")
                continue
            s = {k: med(rows, k) for k in ("count", "p50_ms", "p99_ms", "p999_ms", "max_ms", "over_2x_p50", "over_1ms",
                                           "proxy_cpu_us_per_req", "voluntary_switches_per_req",
                                           "run_queue_wait_us_per_req", "involuntary_switches_per_req")}
            s["errors"] = sum(r.get("errors", 0) for r in rows)
            stats[t] = s
            print(f"| {t} | {len(rows)}/{len(paths)} | {s['count']:.0f} | {s['errors']} | {fmt(s['p50_ms'])} | "
                  f"{fmt(s['p99_ms'])} | {fmt(s['p999_ms'])} | {fmt(s['max_ms'])} | {s['over_2x_p50']:.0f} | {s['over_1ms']:.0f} | "
                  f"{fmt(s['proxy_cpu_us_per_req'], 1)} | {fmt(s['voluntary_switches_per_req'], 2)} | "
                  f"{fmt(s['run_queue_wait_us_per_req'], 1)} | {fmt(s['involuntary_switches_per_req'], 3)} |")
        lines = []
        for ours, theirs, what in PAIRS:
            if ours in stats and theirs in stats:
                a, b = stats[ours], stats[theirs]
                lines.append(f"| {what}: {ours} / {theirs} | {ratio(a['p50_ms'], b['p50_ms'])} | "
                             f"{ratio(a['p99_ms'], b['p99_ms'])} | 1.20x |")
        if lines:
            print()
            print("| ratio (same run) | p50 | p99 | goal (issue 11) |")
            print("|---|---:|---:|---:|")
            print("\n".join(lines))


if __name__ == "__main__":
    main()
