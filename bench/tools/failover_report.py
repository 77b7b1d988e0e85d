#!/usr/bin/env python3
"""Reads the per-thread logs of lua/failover.lua and the kill timestamp, prints one JSON line.

An error is a request that got no reply (socket error, timeout, cut off at the end of the run
is excluded) or a reply that is not 2xx. "In flight" = sent before the kill and not answered
before it: those are the requests a proxy must roll forward (or retry) to hide the crash.
"""
import glob
import json
import sys


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def main():
    prefix, kill_at, run_end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    sent, replies, anonymous = {}, {}, []
    for path in glob.glob(prefix + ".*.log"):
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and parts[0] == "S":
                    sent[parts[1]] = float(parts[2])
                elif len(parts) >= 4 and parts[0] == "R":
                    if parts[1] == "-":
                        anonymous.append((float(parts[2]), int(parts[3])))
                    else:
                        replies[parts[1]] = (float(parts[2]), int(parts[3]))
    # wrk calls request() once on thread 1 before the run to verify the script
    # (script_verify_request); that request is never sent.
    if "1-1" not in replies:
        sent.pop("1-1", None)
    # Requests sent in the last 2 s of the run may simply have been cut off by -d.
    cutoff = run_end - 2.0
    total_errors = 0
    in_flight, in_flight_errors, in_flight_latencies, in_flight_after_kill = 0, 0, [], []
    after_kill_errors, all_latencies, last_error_at = 0, [], None
    for rid, start in sent.items():
        reply = replies.get(rid)
        ok = reply is not None and 200 <= reply[1] < 300
        if reply is None and start > cutoff:
            continue
        if reply is not None:
            all_latencies.append(reply[0] - start)
        if not ok:
            total_errors += 1
            last_error_at = max(last_error_at or 0.0, reply[0] if reply else start)
            if start >= kill_at:
                after_kill_errors += 1
        if start < kill_at and (reply is None or reply[0] >= kill_at):
            in_flight += 1
            if ok:
                in_flight_latencies.append(reply[0] - start)
                in_flight_after_kill.append(reply[0] - kill_at)
            else:
                in_flight_errors += 1
    ms = lambda v: None if v is None else round(v * 1000.0, 1)
    print(json.dumps({
        "sent": len(sent),
        "answered_2xx": sum(1 for r in replies.values() if 200 <= r[1] < 300),
        "errors": total_errors,
        "non_2xx_without_id": len(anonymous),
        "in_flight_at_kill": in_flight,
        "in_flight_errors": in_flight_errors,
        "errors_sent_after_kill": after_kill_errors,
        "in_flight_p50_ms": ms(percentile(in_flight_latencies, 50)),
        "in_flight_p99_ms": ms(percentile(in_flight_latencies, 99)),
        "in_flight_max_ms": ms(max(in_flight_latencies) if in_flight_latencies else None),
        # How long after the kill the in-flight requests were answered: a roll-forward proxy can
        # answer as soon as the backup's copy is done, a retrying one needs a whole new request.
        "in_flight_answered_after_kill_p50_ms": ms(percentile(in_flight_after_kill, 50)),
        "in_flight_answered_after_kill_max_ms": ms(max(in_flight_after_kill) if in_flight_after_kill else None),
        "kill_at_epoch": kill_at,
        "all_p50_ms": ms(percentile(all_latencies, 50)),
        "all_p99_ms": ms(percentile(all_latencies, 99)),
        "last_error_after_kill_ms": ms(None if last_error_at is None else last_error_at - kill_at),
    }))


if __name__ == "__main__":
    main()
