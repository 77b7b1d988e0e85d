#!/usr/bin/env python3
"""Summarises wrk --latency outputs named tput-<size>-<target>-r<round>.txt into a Markdown table.

Per (size, target): median over rounds of req/s, p50 and p99; errors summed; "copied to backup"
is the backup Apache's request count over the requests wrk completed (mod_status counters). Ratios are
median req/s over the median of apache-direct and of nginx-mirror (the closest existing
"copy every request to a second server" setup).

CPU per request (microseconds, median of rounds) splits the machine's work between the proxy's
processes (the JVM's JIT compiler threads shown apart too, as part of it), both Apache origins and
the wrk client; "cpus busy" is their sum times req/s (2.0 = both
cores saturated by this benchmark alone). Because everything shares the same cores, a proxy's
throughput is bounded by "req/s if the proxy cost nothing": req/s x all / (all - proxy), the
ceiling a zero-cost proxy with the same origins and client would reach on this machine.
"connections to master / backup" are the established connections to each origin halfway through
the last round (wrk's own for apache-direct).

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
    cpu = re.search(r"CPU_SECONDS proxy=([\d.e-]+) origins=([\d.e-]+)(?: jit=([\d.e-]+))?", text)
    client_cpu = re.search(r"CLIENT_CPU_SECONDS ([\d.]+)", text)
    conns = re.search(r"ORIGIN_CONNECTIONS master=(\d+) backup=(\d+)", text)
    if not (rps and p50 and p99):
        return None
    n = int(served.group(1)) if served else 0
    # Share of client requests that reached the backup too: 1.0 for a working mirror.
    copied = int(origins.group(2)) / n if origins and n else None
    # CPU microseconds per client request: proxy, origins, client, and the proxy's JIT compilers
    # (part of the proxy's figure).
    per_request = (float(cpu.group(1)) * 1e6 / n, float(cpu.group(2)) * 1e6 / n,
                   float(client_cpu.group(1)) * 1e6 / n,
                   float(cpu.group(3) or 0) * 1e6 / n) if cpu and client_cpu and n else None
    return (float(rps.group(1)), to_ms(p50.group(1)), to_ms(p99.group(1)), errors, copied, per_request,
            (int(conns.group(1)), int(conns.group(2))) if conns else None)


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
                cpu = [r[5] for r in good if r[5] is not None]
                medians[target] = (statistics.median(r[0] for r in good), statistics.median(r[1] for r in good),
                                   statistics.median(r[2] for r in good), sum(r[3] for r in good), len(good), len(runs),
                                   statistics.median(copied) if copied else None,
                                   tuple(statistics.median(c[i] for c in cpu) for i in range(4)) if cpu else None,
                                   next((r[6] for r in reversed(good) if r[6]), None))
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
        print_cpu(size, targets, medians)


def print_cpu(size, targets, medians):
    rows = [(t, medians[t]) for t in targets if medians.get(t) and medians[t][7]]
    if not rows:
        return
    print(f"\n**{size}B file: CPU per request** (microseconds, median of rounds)\n")
    print("| target | proxy | of which JIT compiler | origins | client | all | cpus busy "
          "| req/s if the proxy cost nothing | connections to master / backup |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for target, m in rows:
        proxy, origins, client, jit = m[7]
        total = proxy + origins + client
        ceiling = f"{m[0] * total / (total - proxy):.0f}" if proxy > 0 and total > proxy else "n/a"
        print(f"| {target} | {proxy:.0f} | {jit:.1f} | {origins:.0f} | {client:.0f} | {total:.0f} "
              f"| {m[0] * total / 1e6:.2f} | {ceiling} | {'%d / %d' % m[8] if m[8] else 'n/a'} |")
    print_cpu_ratios(size, dict(rows))


# Issue 11's CPU goals: Rollforward's proxy CPU per request against the existing tool for the same job.
CPU_GOALS = (("rollforward-mirror", "nginx-mirror", "mirrored request", 1.0),
             ("rollforward-single", "haproxy", "pass-through request", 1.2))


def print_cpu_ratios(size, rows):
    lines = []
    for ours, theirs, what, goal in CPU_GOALS:
        if ours in rows and theirs in rows and rows[theirs][7][0] > 0:
            a, b = rows[ours][7][0], rows[theirs][7][0]
            verdict = "met" if a / b <= goal else f"missed by {a / b - goal:.2f}x ({a - goal * b:.0f} µs)"
            lines.append(f"| proxy CPU per {what}: {ours} / {theirs} | {a:.0f} / {b:.0f} µs | **{a / b:.2f}x** "
                         f"| ≤ {goal:.1f}x | {verdict} |")
    if lines:
        print(f"\n**{size}B file: proxy CPU ratios** (same run, median of rounds)\n")
        print("| ratio | µs per request | ratio | goal (issue 11) | verdict |")
        print("|---|---:|---:|---:|---|")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
