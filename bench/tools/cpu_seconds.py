#!/usr/bin/env python3
"""CPU seconds (user + system) used so far by a set of processes, for per-request CPU figures.

usage: cpu_seconds.py SPEC...   SPEC = PID (that process, all its threads) or g:PGID (every live
process of that process group). Each process counts its own time plus the time of its children it
has already reaped (Apache's parent reaps the workers it recycles), so a process group's total
only drops if a process that reaped others dies itself; take a reading before and after a run and
subtract. Prints one number.

usage: cpu_seconds.py --run CMD ARG...   runs CMD and prints, on stderr after it exits, the line
"CLIENT_CPU_SECONDS <s>" with the CPU time CMD and its children used; exits with CMD's status.

usage: cpu_seconds.py --threads REGEX PID...   CPU seconds of those processes' threads whose name
matches REGEX (e.g. '^C[12] CompilerThre' for a JVM's JIT compilers; a thread that ended is not
counted, so take both readings while the process runs).
"""
import os
import re
import resource
import subprocess
import sys

TICK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    # the command name (field 2) may hold spaces; the fields after it start past the last ')'
    return text[text.rindex(")") + 2:].split()


def seconds_of(pid):
    fields = stat_fields(pid)  # fields[0] is field 3 (state) of proc(5)
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return (utime + stime + cutime + cstime) / TICK


def group_members(pgid):
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(stat_fields(entry)[2]) == pgid:
                    members.append(entry)
            except (OSError, ValueError):
                pass  # exited while we looked
    return members


def thread_seconds(pid, pattern):
    total = 0.0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                text = f.read()
        except OSError:
            continue  # ended while we looked
        name = text[text.index("(") + 1:text.rindex(")")]
        if pattern.search(name):
            fields = text[text.rindex(")") + 2:].split()
            total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def main(args):
    if args and args[0] == "--threads":
        pattern = re.compile(args[1])
        total = 0.0
        for pid in args[2:]:
            try:
                total += thread_seconds(pid, pattern)
            except OSError:
                pass
        print(f"{total:.3f}")
        return 0
    if args and args[0] == "--run":
        status = subprocess.call(args[1:])
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(f"CLIENT_CPU_SECONDS {usage.ru_utime + usage.ru_stime:.3f}", file=sys.stderr)
        return status
    total = 0.0
    for spec in args:
        pids = group_members(int(spec[2:])) if spec.startswith("g:") else [spec]
        for pid in pids:
            try:
                total += seconds_of(pid)
            except OSError:
                pass  # exited: its time is in its parent's reaped-children count, or gone
    print(f"{total:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
