#!/usr/bin/env python3
"""Markdown table of the tls scenario: wrk (HTTP/1.1 over TLS) and h2load (HTTP/2) per target.

Usage: tls_report.py OUT_DIR TARGET...  (reads OUT_DIR/tls-wrk-TARGET-rN.txt and tls-h2load-TARGET-rN.txt)
"""
import glob
import re
import statistics
import sys


def wrk(text):
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)", text, re.M)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)", text, re.M)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return (float(rps.group(1)) if rps else None, ms(p50), ms(p99),
            errors + (int(non2xx.group(1)) if non2xx else 0))


def h2load(text):
    rps = re.search(r"finished in [\d.]+s, ([\d.]+) req/s", text)
    req = re.search(r"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored", text)
    mean = re.search(r"time for request:\s+\S+\s+\S+\s+(\S+)", text)
    cpu = re.search(r"CPU_SECONDS proxy=([\d.]+)", text)
    failed = int(req.group(2)) + int(req.group(3)) if req else None
    return (float(rps.group(1)) if rps else None, unit_ms(mean.group(1)) if mean else None, failed,
            float(cpu.group(1)) if cpu else None)


def ms(match):
    if not match:
        return None
    return float(match.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[match.group(2)]


def unit_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)] if m else None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, pattern="{:.0f}"):
    return "n/a" if v is None else pattern.format(v)


def main():
    out, targets = sys.argv[1], sys.argv[2:]
    print("| target | h2load req/s | h2load mean ms | h2load failed | wrk req/s | wrk p50 ms | wrk p99 ms | wrk errors | proxy CPU s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for t in targets:
        w = [wrk(open(f).read()) for f in sorted(glob.glob(f"{out}/tls-wrk-{t}-r*.txt"))]
        h = [h2load(open(f).read()) for f in sorted(glob.glob(f"{out}/tls-h2load-{t}-r*.txt"))]
        print(f"| {t} | {fmt(median([x[0] for x in h]))} | {fmt(median([x[1] for x in h]), '{:.2f}')} | "
              f"{fmt(sum(x[2] or 0 for x in h))} | {fmt(median([x[0] for x in w]))} | "
              f"{fmt(median([x[1] for x in w]), '{:.2f}')} | {fmt(median([x[2] for x in w]), '{:.2f}')} | "
              f"{fmt(sum(x[3] or 0 for x in w))} | {fmt(median([x[3] for x in h]), '{:.1f}')} |")


if __name__ == "__main__":
    main()
