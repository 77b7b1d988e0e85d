#!/usr/bin/env python3
"""Scheduler figures of a set of processes (all their threads), for the latency scenario.

usage: sched_stats.py SPEC...   SPEC = PID or g:PGID (every live process of that group)

Prints one line "SCHED cpu_ns=.. run_delay_ns=.. slices=.. voluntary=.. involuntary=..": CPU time,
time spent runnable but waiting for a CPU (run queue), scheduling slices, and voluntary /
involuntary context switches, summed over every thread (/proc/PID/task/TID/schedstat and status).
Take a reading before and after a run and subtract: per request, "voluntary" counts how often the
target went to sleep (each one a wake-up later, which on a busy machine may wait for a CPU) and
run_delay how long its threads waited for one.
"""
import os
import sys


def pids_of(spec):
    if spec.startswith("g:"):
        pgid = int(spec[2:])
        out = []
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open(f"/proc/{d}/stat") as f:
                        text = f.read()
                    if int(text[text.rindex(")") + 2:].split()[2]) == pgid:
                        out.append(int(d))
                except (OSError, ValueError):
                    pass
        return out
    return [int(spec)]


def sum_threads(threads):
    """[cpu_ns, run_delay_ns, slices, voluntary, involuntary] summed over a per_thread() reading."""
    totals = [0, 0, 0, 0, 0]
    for values in threads.values():
        for i, v in enumerate(values):
            totals[i] += v
    return totals


def totals(specs):
    return sum_threads(per_thread(specs))


def per_thread(specs):
    """{(pid, tid, thread name): [cpu_ns, run_delay_ns, slices, voluntary, involuntary]}."""
    threads = {}
    for spec in specs:
        for pid in pids_of(spec):
            try:
                tids = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for tid in tids:
                try:
                    with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                        cpu, delay, slices = (int(x) for x in f.read().split()[:3])
                    vol = invol = 0
                    with open(f"/proc/{pid}/task/{tid}/comm") as f:
                        name = f.read().strip()
                    with open(f"/proc/{pid}/task/{tid}/status") as f:
                        for line in f:
                            if line.startswith("voluntary_ctxt_switches"):
                                vol = int(line.split()[1])
                            elif line.startswith("nonvoluntary_ctxt_switches"):
                                invol = int(line.split()[1])
                except (OSError, ValueError):
                    continue
                threads[(pid, int(tid), name)] = [cpu, delay, slices, vol, invol]
    return threads


def main():
    print("SCHED cpu_ns=%d run_delay_ns=%d slices=%d voluntary=%d involuntary=%d" % tuple(totals(sys.argv[1:])))


if __name__ == "__main__":
    main()
