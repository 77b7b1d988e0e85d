#!/usr/bin/env bash
# Soak: CONNS (1,000) concurrent keep-alive connections of mixed requests through the proxy for
# DURATION (60) seconds; the master origin is killed with SIGKILL at KILL_AT (30) s. The proxy
# runs with Netty's leak detector at paranoid; its RSS is sampled every second. Pass criteria:
# 0 client errors (connect/read/write/timeout/non-2xx), no LEAK line, RSS bounded.
# Appends the figures to bench/soak/RESULTS.md. Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=proxy/target/rollforward.jar
DURATION=${DURATION:-60}
CONNS=${CONNS:-1000}
KILL_AT=${KILL_AT:-30}
PPORT=${PPORT:-18180}
MPORT=${MPORT:-18181}
BPORT=${BPORT:-18182}
# The soak measures errors, leaks and memory, not latency: on a small shared machine a request can
# wait seconds for CPU, and with the default 5 s both replicas then time out together (504).
TIMEOUT_S=${TIMEOUT_S:-30}
# Think time per connection between requests (ms); 0 = flat out (overloads a small shared machine).
export THINK_MS=${THINK_MS:-1000}
# The client gives up after this; longer than the per-request timeout, so a client timeout means
# the proxy kept a request without any answer (a 504 would have come first).
CLIENT_TIMEOUT_S=${CLIENT_TIMEOUT_S:-$(( TIMEOUT_S + 15 ))}
[ -f "$JAR" ] || ./mvnw -q -DskipTests package
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 2; }
ulimit -n "$(ulimit -Hn)"  # the proxy holds a client and two replica connections per client connection
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $(( CONNS * 4 + 1000 )) ] || { echo "open-file limit $(ulimit -n) too low for $CONNS connections"; exit 2; }
OUT=$(mktemp -d /tmp/rollforward-soak.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_for() { # file pattern seconds
  for _ in $(seq 1 $(( $3 * 2 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.5; done
  echo "timed out waiting for '$2' in $1"; cat "$1"; exit 1
}

java -Xmx256m -cp "$JAR" bench/soak/SoakOrigin.java "$MPORT" > "$OUT/master.log" 2>&1 & MPID=$!; PIDS+=("$MPID")
java -Xmx256m -cp "$JAR" bench/soak/SoakOrigin.java "$BPORT" > "$OUT/backup.log" 2>&1 & BPID=$!; PIDS+=("$BPID")
wait_for "$OUT/master.log" "listening" 60
wait_for "$OUT/backup.log" "listening" 60

PROXY_OPTS="-Xms128m -Xmx512m -Dio.netty.leakDetection.level=paranoid -Dio.netty.leakDetectionLevel=paranoid"
# shellcheck disable=SC2086
java $PROXY_OPTS -cp "$JAR" bench/soak/SoakProxy.java "$PPORT" "$MPORT" "$BPORT" "$TIMEOUT_S" > "$OUT/proxy.log" 2>&1 & PROXY=$!; PIDS+=("$PROXY")
wait_for "$OUT/proxy.log" "READY" 60

( for _ in $(seq 1 $(( DURATION + 40 ))); do
    awk '/VmRSS/ {print $2}' "/proc/$PROXY/status" 2>/dev/null || break
    sleep 1
  done > "$OUT/rss.txt" ) & SAMPLER=$!; PIDS+=("$SAMPLER")

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u +%s)
wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout "${CLIENT_TIMEOUT_S}s" -s bench/soak/mixed.lua "http://127.0.0.1:$PPORT/" > "$OUT/wrk.txt" 2>&1 & WRK=$!; PIDS+=("$WRK")
sleep "$KILL_AT"
kill -9 "$MPID"
KILLED=$(( $(date -u +%s) - START ))
wait "$WRK" || true

# Netty reports a leak only when a later allocation polls the reference queue after a GC.
for _ in 1 2 3; do
  jcmd "$PROXY" GC.run > /dev/null
  THINK_MS=0 wrk -t1 -c10 -d2s -s bench/soak/mixed.lua "http://127.0.0.1:$PPORT/" > /dev/null 2>&1 || true
done
kill -TERM "$PROXY"; wait "$PROXY" || true
kill "$SAMPLER" 2>/dev/null || true

SUMMARY=$(grep '^SUMMARY' "$OUT/wrk.txt" || echo "SUMMARY missing")
LEAKS=$(grep -c 'LEAK' "$OUT/proxy.log" || true)
read -r RSS_MIN RSS_MAX RSS_FIRST RSS_LAST < <(awk 'NR==1{min=$1;max=$1;first=$1} {if($1<min)min=$1; if($1>max)max=$1; last=$1} END{printf "%d %d %d %d\n", min/1024, max/1024, first/1024, last/1024}' "$OUT/rss.txt")
HALF=$(( $(wc -l < "$OUT/rss.txt") / 2 ))
RSS_MAX_1=$(head -n "$HALF" "$OUT/rss.txt" | sort -n | tail -1); RSS_MAX_2=$(tail -n +"$(( HALF + 1 ))" "$OUT/rss.txt" | sort -n | tail -1)
COUNTERS=$(grep '^COUNTER' "$OUT/proxy.log" | sed 's/^COUNTER /    /' || true)

cat >> bench/soak/RESULTS.md <<REPORT

## $(date -u '+%Y-%m-%d %H:%M UTC') — ${CONNS} connections, ${DURATION} s, master SIGKILLed at ${KILLED} s

Command: \`CONNS=$CONNS DURATION=$DURATION KILL_AT=$KILL_AT TIMEOUT_S=$TIMEOUT_S THINK_MS=$THINK_MS bench/soak/run.sh\` (per-request timeout ${TIMEOUT_S} s, client timeout ${CLIENT_TIMEOUT_S} s, think time ${THINK_MS} ms per connection; load average before the run: $LOAD_BEFORE; proxy: \`java $PROXY_OPTS\`, $(nproc) cores shared with the load generator and both origins)

- wrk: \`$SUMMARY\`
- LEAK lines in the proxy log (paranoid): $LEAKS
- proxy RSS: min $RSS_MIN MiB, max $RSS_MAX MiB, at start $RSS_FIRST MiB, at end $RSS_LAST MiB; max of first half $(( RSS_MAX_1 / 1024 )) MiB, of second half $(( RSS_MAX_2 / 1024 )) MiB
- proxy counters:
$COUNTERS

Raw output: $OUT
REPORT
echo "$SUMMARY"; echo "LEAKS=$LEAKS RSS max=${RSS_MAX}MiB"; echo "results appended to bench/soak/RESULTS.md; raw output in $OUT"
