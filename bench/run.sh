#!/usr/bin/env bash
# Rollforward benchmark harness: throughput/latency, failover and memory against real Apache 2.4
# origins, nginx (proxy, mirror, failover), HAProxy and Rollforward. Loopback only.
#
#   ./mvnw -q -DskipTests package          # once: builds proxy/target/rollforward.jar
#   bench/run.sh [throughput] [latency] [streaming] [failover] [memory] [bigmem] [tls]
#                                           # default: throughput failover memory
#   (tls: nginx, HAProxy and Rollforward terminating TLS, h2load + wrk over HTTPS; lib/tls.sh)
#
# Settings (environment): ROUNDS=3 DURATION=10s WARMUP=10s CONNECTIONS=64 THREADS=2
#   JIT_STEP=10s JIT_QUIET=0.03 JIT_SETTLE_MAX=120s (JVM targets: more warm-up until the JIT settles)
#   TARGETS="apache-direct nginx-proxy nginx-mirror haproxy rollforward-mirror rollforward-single"
#   SIZES="1k 64k"  FAILOVER_TARGETS="rollforward-mirror nginx-failover haproxy"
#   FAILOVER_SECONDS=20 KILL_AT=5 FAILOVER_CONNECTIONS=50 SLOW_MS=200
#   IDLE_CONNECTIONS=10000 MEMORY_LOAD=60s  PORT_BASE=18100  RECORD=1 (prepend to RESULTS.md)
#   ROLLFORWARD_JAVA_OPTS="-Xms64m -Xmx192m"  NOTE="free text for the results heading"
#   TLS_TARGETS="nginx-tls-proxy nginx-tls-mirror haproxy-tls rollforward-tls-mirror rollforward-tls-single"
#   H2LOAD_CLIENTS=16 H2LOAD_STREAMS=8 TLS_SIZE=1k
#   ROLLFORWARD_RUN_OPTS="" (extra JVM options for the proxy process only: JFR, -Xlog:gc ...)
#   LATENCY_TARGETS="apache-direct nginx-mirror haproxy rollforward-mirror rollforward-single"
#   LATENCY_ROUNDS=3 LATENCY_COUNT=2000 LATENCY_WARMUP=1000
#   STREAM_TARGETS=... STREAM_KILL_TARGETS="rollforward-mirror nginx-failover haproxy" STREAM_CLIENTS=20
#   STREAM_REPEAT=3 STREAM_WARMUP_GAP=0.05 STREAM_GAP=7 RATE_LIMIT_KIBPS=8192  BIGMEM_TARGETS="rollforward-mirror nginx-mirror haproxy"
#   BIGMEM_SLOW_CLIENTS=1000 BIGMEM_SLOW_SECONDS=25
# See bench/README.md for what each scenario measures.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}  # every target; the JVM targets then until their JIT settles:
JIT_STEP=${JIT_STEP:-10s} JIT_QUIET=${JIT_QUIET:-0.03} JIT_SETTLE_MAX=${JIT_SETTLE_MAX:-120s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
TARGETS=${TARGETS:-"apache-direct nginx-proxy nginx-mirror haproxy rollforward-mirror rollforward-single"}
SIZES=${SIZES:-"1k 64k"}
FAILOVER_TARGETS=${FAILOVER_TARGETS:-"rollforward-mirror nginx-failover haproxy"}
FAILOVER_SECONDS=${FAILOVER_SECONDS:-20}
KILL_AT=${KILL_AT:-5}
FAILOVER_CONNECTIONS=${FAILOVER_CONNECTIONS:-50}
SLOW_MS=${SLOW_MS:-200}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
MEMORY_LOAD=${MEMORY_LOAD:-60s}
PORT_BASE=${PORT_BASE:-18100}
RECORD=${RECORD:-1}
NOTE=${NOTE:-}
ROLLFORWARD_JAVA_OPTS=${ROLLFORWARD_JAVA_OPTS:--Xms64m -Xmx192m}  # the heap bound the README recommends
ROLLFORWARD_JAR=${ROLLFORWARD_JAR:-$REPO_DIR/proxy/target/rollforward.jar}
ROLLFORWARD_RUN_OPTS=${ROLLFORWARD_RUN_OPTS:-}  # e.g. -Xlog:gc:file=... or -XX:StartFlightRecording=...
LATENCY_TARGETS=${LATENCY_TARGETS:-"apache-direct nginx-mirror haproxy rollforward-mirror rollforward-single"}
LATENCY_ROUNDS=${LATENCY_ROUNDS:-3}
LATENCY_COUNT=${LATENCY_COUNT:-2000}
LATENCY_WARMUP=${LATENCY_WARMUP:-1000}
STREAM_TARGETS=${STREAM_TARGETS:-"apache-direct nginx-proxy nginx-mirror haproxy rollforward-mirror rollforward-single"}
STREAM_KILL_TARGETS=${STREAM_KILL_TARGETS:-"rollforward-mirror nginx-failover haproxy"}
STREAM_CLIENTS=${STREAM_CLIENTS:-20}
STREAM_REPEAT=${STREAM_REPEAT:-3}
STREAM_WARMUP_GAP=${STREAM_WARMUP_GAP:-0.05}  # seconds between the warm-up's first-byte probes (of /rl/8m.bin)
STREAM_GAP=${STREAM_GAP:-7}  # seconds between first-byte probes: a proxy still reading a left 48 MiB reply (6 s) must not share the machine with the next
RATE_LIMIT_KIBPS=${RATE_LIMIT_KIBPS:-8192}
BIGMEM_TARGETS=${BIGMEM_TARGETS:-"rollforward-mirror nginx-mirror haproxy"}
BIGMEM_SLOW_CLIENTS=${BIGMEM_SLOW_CLIENTS:-1000}
BIGMEM_SLOW_SECONDS=${BIGMEM_SLOW_SECONDS:-25}

SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(throughput failover memory)

MASTER_PORT=$((PORT_BASE + 1))
BACKUP_PORT=$((PORT_BASE + 2))
NGINX_PROXY_PORT=$((PORT_BASE + 10))
NGINX_MIRROR_PORT=$((PORT_BASE + 11))
NGINX_FAILOVER_PORT=$((PORT_BASE + 12))
HAPROXY_PORT=$((PORT_BASE + 20))
RF_MIRROR_PORT=$((PORT_BASE + 30))
RF_MIRROR_ADMIN=$((PORT_BASE + 31))
RF_SINGLE_PORT=$((PORT_BASE + 40))
RF_SINGLE_ADMIN=$((PORT_BASE + 41))

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$BENCH_DIR/out/$STAMP"
WORK="$OUT/work"
mkdir -p "$WORK"
# shellcheck source=lib/servers.sh
. "$BENCH_DIR/lib/servers.sh"
# shellcheck source=lib/scenarios.sh
. "$BENCH_DIR/lib/scenarios.sh"
# shellcheck source=lib/tls.sh
. "$BENCH_DIR/lib/tls.sh"

wants() { local s; for s in "${SCENARIOS[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
# wanted_targets: every target a wanted scenario runs (decides which proxies are started).
wanted_targets() {
  local t=""
  if wants throughput; then t+=" $TARGETS"; fi
  if wants latency; then t+=" $LATENCY_TARGETS"; fi
  if wants streaming; then t+=" $STREAM_TARGETS $STREAM_KILL_TARGETS"; fi
  if wants failover; then t+=" $FAILOVER_TARGETS"; fi
  if wants bigmem; then t+=" $BIGMEM_TARGETS"; fi
  if wants memory; then t+=" rollforward-mirror"; fi
  echo "$t "
}
plain_scenarios() { [[ "$(wanted_targets)" != " " ]]; }
uses_rollforward() { [[ "$(wanted_targets)" == *" rollforward-"* ]] || { wants tls && [[ " $TLS_TARGETS " == *" rollforward-"* ]]; }; }

check_prerequisites() {
  local missing=() tool
  [ -x /usr/sbin/apache2 ] || missing+=(apache2)
  [ -x /usr/sbin/nginx ] || missing+=(nginx)
  [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v python3 >/dev/null || missing+=(python3)
  command -v setsid >/dev/null || missing+=(util-linux)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]}" >&2
    echo "install with:  apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  if uses_rollforward; then
    command -v java >/dev/null || { echo "java not found: apt-get install -y openjdk-17-jre-headless" >&2; exit 2; }
    if [ ! -f "$ROLLFORWARD_JAR" ]; then
      echo "$ROLLFORWARD_JAR is missing: run  ./mvnw -q -DskipTests package  first" >&2
      echo "(or leave Rollforward out: TARGETS=\"apache-direct nginx-proxy nginx-mirror haproxy\"" \
           "FAILOVER_TARGETS=\"nginx-failover haproxy\" bench/run.sh throughput failover)" >&2
      exit 2
    fi
  fi
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  log "stopping everything this run started"
  stop_everything
  [ $rc -eq 0 ] || log "run failed (exit $rc); raw output in $OUT"
  exit $rc
}

main() {
  check_prerequisites
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # 10,000 idle clients need fds on both sides (client tool and proxy inherit this).
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  log "raw output in $OUT"

  write_apache_root master "$MASTER_PORT"
  write_apache_root backup "$BACKUP_PORT"
  start_apache master "$MASTER_PORT"
  start_apache backup "$BACKUP_PORT"
  if plain_scenarios; then
    start_nginx
    start_haproxy
    if [[ "$(wanted_targets)" == *" rollforward-mirror "* ]]; then
      start_rollforward mirror "$RF_MIRROR_PORT" "$RF_MIRROR_ADMIN" || true
    fi
    if [[ "$(wanted_targets)" == *" rollforward-single "* ]]; then
      start_rollforward single "$RF_SINGLE_PORT" "$RF_SINGLE_ADMIN" || true
    fi
  fi
  if wants tls; then
    make_certificate
    [[ " $TLS_TARGETS " != *" nginx-tls-"* ]] || start_nginx_tls
    [[ " $TLS_TARGETS " != *" haproxy-tls "* ]] || start_haproxy_tls
    if [[ " $TLS_TARGETS " == *" rollforward-tls-mirror "* ]]; then
      start_rollforward mirror "$RF_TLS_MIRROR_PORT" "$((RF_TLS_MIRROR_PORT + 1))" "$((RF_TLS_MIRROR_PORT + 2))" || true
    fi
    if [[ " $TLS_TARGETS " == *" rollforward-tls-single "* ]]; then
      start_rollforward single "$RF_TLS_SINGLE_PORT" "$((RF_TLS_SINGLE_PORT + 1))" "$((RF_TLS_SINGLE_PORT + 2))" || true
    fi
  fi
  describe_machine > "$OUT/machine.md"

  : > "$OUT/commands.txt"
  : > "$OUT/sections.md"
  if wants throughput; then run_throughput >> "$OUT/sections.md"; fi
  if wants latency; then run_latency >> "$OUT/sections.md"; fi
  if wants streaming; then run_streaming >> "$OUT/sections.md"; fi
  if wants failover; then run_failover >> "$OUT/sections.md"; fi
  if wants memory; then run_memory >> "$OUT/sections.md"; fi
  if wants tls; then run_tls >> "$OUT/sections.md"; fi
  if wants bigmem; then run_bigmem >> "$OUT/sections.md"; fi

  write_results
}

main
