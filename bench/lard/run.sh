#!/usr/bin/env bash
# LARD benchmark (issue 14): does locality-aware dispatch beat weighted round robin when the
# working set exceeds one back-end's cache? Pai et al., ASPLOS 1998, reproduced on loopback.
#
#   ./mvnw -q -DskipTests package      # once: proxy/target/rollforward.jar
#   bench/lard/run.sh                  # wrr, wlc, lard, lard-r side by side; prepends to bench/RESULTS.md
#
# 4 groups of 2 replicas each (8 back-ends in one cache_origin.py process). Every back-end caches
# CACHE documents (LRU); a miss waits for the back-end's single disk, MISS_MS per miss. wrk asks for
# DOCS = 4 x CACHE documents uniformly (uniform.lua). Each scheduler gets a fresh proxy and cold
# caches, WARMUP of unrecorded load (LARD's compulsory misses), then DURATION measured.
#
# Settings: CACHE=500 MISS_MS=10 SIZE=2048 CONNECTIONS=64 THREADS=2 WARMUP=20s DURATION=20s
#   SCHEDULERS="wrr wlc lard lard-r" PORT_BASE=18500 RECORD=1 ROLLFORWARD_JAVA_OPTS="-Xms64m -Xmx192m"
# Ports: PORT_BASE+1..+8 back-ends, +9 origin control, +10 proxy, +11 proxy admin.
set -euo pipefail

LARD_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_DIR=$(dirname "$LARD_DIR")
REPO_DIR=$(dirname "$BENCH_DIR")
CACHE=${CACHE:-500}
DOCS=${DOCS:-$((4 * CACHE))}
MISS_MS=${MISS_MS:-10}
SIZE=${SIZE:-2048}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-20s}
DURATION=${DURATION:-20s}
SCHEDULERS=${SCHEDULERS:-"wrr wlc lard lard-r"}
PORT_BASE=${PORT_BASE:-18500}
RECORD=${RECORD:-1}
ROLLFORWARD_JAVA_OPTS=${ROLLFORWARD_JAVA_OPTS:--Xms64m -Xmx192m}
ROLLFORWARD_JAR=${ROLLFORWARD_JAR:-$REPO_DIR/proxy/target/rollforward.jar}
CONTROL_PORT=$((PORT_BASE + 9))
PROXY_PORT=$((PORT_BASE + 10))
ADMIN_PORT=$((PORT_BASE + 11))

command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
[ -f "$ROLLFORWARD_JAR" ] || { echo "no $ROLLFORWARD_JAR: ./mvnw -q -DskipTests package" >&2; exit 1; }

OUT="$BENCH_DIR/out/lard-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
wait_port() {  # wait_port PORT: up to 30 s
  local i
  for i in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "nothing listens on $1" >&2; return 1
}

ports=$(seq -s, $((PORT_BASE + 1)) $((PORT_BASE + 8)))
python3 "$LARD_DIR/cache_origin.py" --ports "$ports" --control-port "$CONTROL_PORT" --cache "$CACHE" \
  --miss-ms "$MISS_MS" --size "$SIZE" > "$OUT/origin.log" 2>&1 &
PIDS+=($!)
wait_port "$CONTROL_PORT"

config() {  # config SCHEDULER: the proxy file
  local g r port=$((PORT_BASE + 1))
  printf 'listen: 127.0.0.1:%s\nscheduler: %s\nper-request-timeout: 30s\neject-after: 0\n' "$PROXY_PORT" "$1"
  printf 'admin: {listen: 127.0.0.1:%s}\ngroups:\n' "$ADMIN_PORT"
  for g in 1 2 3 4; do
    printf '  - name: g%s\n    replicas:\n' "$g"
    for r in a b; do
      printf '      - {name: g%s%s, url: http://127.0.0.1:%s}\n' "$g" "$r" "$port"
      port=$((port + 1))
    done
  done
  case $1 in lard|lard-r) printf 'lard: {table-size: %s}\n' "$((DOCS * 2))" ;; esac
}

echo "bench/lard/run.sh CACHE=$CACHE DOCS=$DOCS MISS_MS=$MISS_MS SIZE=$SIZE CONNECTIONS=$CONNECTIONS THREADS=$THREADS WARMUP=$WARMUP DURATION=$DURATION SCHEDULERS=\"$SCHEDULERS\"" > "$OUT/commands.txt"
for s in $SCHEDULERS; do
  config "$s" > "$OUT/$s.yaml"
  curl -sf "http://127.0.0.1:$CONTROL_PORT/reset" > /dev/null
  java $ROLLFORWARD_JAVA_OPTS -jar "$ROLLFORWARD_JAR" run -c "$OUT/$s.yaml" > "$OUT/$s.proxy.log" 2>&1 &
  proxy=$!
  PIDS+=($proxy)
  wait_port "$PROXY_PORT"
  log "$s: warm-up $WARMUP"
  DOCS=$DOCS wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$LARD_DIR/uniform.lua" "http://127.0.0.1:$PROXY_PORT" > "$OUT/$s.warmup.txt" 2>&1
  curl -sf "http://127.0.0.1:$CONTROL_PORT/stats" > "$OUT/$s.stats-before.json"
  log "$s: measuring $DURATION"
  echo "DOCS=$DOCS wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s bench/lard/uniform.lua http://127.0.0.1:$PROXY_PORT" >> "$OUT/commands.txt"
  DOCS=$DOCS wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LARD_DIR/uniform.lua" "http://127.0.0.1:$PROXY_PORT" > "$OUT/$s.wrk.txt" 2>&1
  curl -sf "http://127.0.0.1:$CONTROL_PORT/stats" > "$OUT/$s.stats-after.json"
  curl -sf "http://127.0.0.1:$ADMIN_PORT/status" > "$OUT/$s.status.json" || true
  kill "$proxy"; wait "$proxy" 2>/dev/null || true
  for i in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PROXY_PORT") 2>/dev/null || break; sleep 0.1; done
done

python3 "$LARD_DIR/lard_report.py" "$OUT" "$PORT_BASE" $SCHEDULERS > "$OUT/report.md"
cat "$OUT/report.md"
if [ "$RECORD" = 1 ]; then
  python3 - "$BENCH_DIR/RESULTS.md" "$OUT/report.md" <<'PY'
import sys
results, report = sys.argv[1], open(sys.argv[2]).read()
text = open(results).read()
marker = "\n## "
i = text.find(marker)
open(results, "w").write(text[:i + 1] + report + "\n" + text[i + 1:] if i >= 0 else text + "\n" + report)
PY
fi
