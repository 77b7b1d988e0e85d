#!/usr/bin/env python3
"""Markdown section for bench/RESULTS.md from one bench/lard/run.sh output directory.

usage: lard_report.py OUT_DIR PORT_BASE SCHEDULER...
"""
import datetime
import json
import os
import re
import sys

PAPER = ("Pai et al., ASPLOS 1998, abstract (trace-driven simulation and a prototype): \"On workloads with "
         "working sets that do not fit in a single server node's main memory cache, the achieved throughput "
         "exceeds that of the state-of-the-art approach [WRR] by a factor of two to four.\" Their back-ends "
         "are disk-bound on a miss, as the ones here are; they ran real traces, not a uniform working set.")


def wrk(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    p99_ms = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(x) for x in m.groups())
    return rps, p99_ms, errors


def hit_rates(out, scheduler, port_base):
    before = json.load(open(os.path.join(out, scheduler + ".stats-before.json")))
    after = json.load(open(os.path.join(out, scheduler + ".stats-after.json")))
    rates, hits_all, total_all = [], 0, 0
    for g in range(4):
        port = str(port_base + 1 + 2 * g)  # the group's master; its backup ran the same requests
        hits = after[port]["hits"] - before[port]["hits"]
        misses = after[port]["misses"] - before[port]["misses"]
        rates.append(hits / (hits + misses) if hits + misses else float("nan"))
        hits_all += hits
        total_all += hits + misses
    return rates, (hits_all / total_all if total_all else float("nan"))


def main():
    out, port_base, schedulers = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    commands = open(os.path.join(out, "commands.txt")).read().splitlines()
    rows = {}
    for s in schedulers:
        rps, p99, errors = wrk(os.path.join(out, s + ".wrk.txt"))
        rates, overall = hit_rates(out, s, port_base)
        moves = ""
        try:
            status = json.load(open(os.path.join(out, s + ".status.json")))
            moves = str(status.get("lard_reassignments", ""))
        except (OSError, ValueError):
            pass
        rows[s] = (rps, p99, errors, rates, overall, moves)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"## {now} — LARD vs WRR: locality when the working set is 4x one back-end's cache\n")
    print("Command: `" + commands[0] + "` (raw output in `" + os.path.relpath(out, os.path.dirname(os.path.dirname(os.path.dirname(out)))) + "`); "
          "each measured run is `" + commands[1].replace(" -d", " -d") + "` with the scheduler's own proxy.\n")
    print("| scheduler | req/s | vs wrr | hit rate (all) | hit rate g1 / g2 / g3 / g4 | p99 | errors | LARD moves |")
    print("|---|---|---|---|---|---|---|---|")
    base = rows.get("wrr", (None,))[0]
    for s in schedulers:
        rps, p99, errors, rates, overall, moves = rows[s]
        ratio = f"{rps / base:.2f}x" if base else ""
        per = " / ".join(f"{r:.0%}" for r in rates)
        print(f"| {s} | {rps:.0f} | {ratio} | {overall:.1%} | {per} | {p99:.1f} ms | {errors} | {moves} |")
    if "lard" in rows and base:
        rps, _, _, _, overall, _ = rows["lard"]
        ok = rps >= 2.5 * base and overall >= 0.90
        print(f"\n**Goal** lard >= 2.5x wrr with hit rate >= 90%: {rps / base:.2f}x at {overall:.1%}: "
              f"**{'met' if ok else 'missed'}**.\n")
    print("Setup: 4 groups x 2 replicas (every request runs on both replicas of its group, as always), "
          "8 back-ends in `bench/lard/cache_origin.py`, each an LRU of CACHE documents with one disk "
          "(a miss waits for it, MISS_MS each); wrk asks for 4 x CACHE documents uniformly "
          "(`bench/lard/uniform.lua`). Hit rate is the group master's over the measured window.\n")
    print("What the paper reports: " + PAPER + "\n")


if __name__ == "__main__":
    main()
