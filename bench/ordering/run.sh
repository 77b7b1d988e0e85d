#!/usr/bin/env bash
# Write ordering figures (issue 15), loopback only, against two stateful origins (ListOrigin, an
# append-only list application: POST /<path>/items appends, GET lists):
#   1. divergence: ROUNDS rounds of 50 clients x 20 POSTs through Rollforward with ordering off and
#      with ordering.key: service; how often the two origins' lists end up in a different order;
#   2. write throughput: wrk POSTing 1 KiB bodies (bench/lua/post1k.lua, 16 paths) through
#      nginx-mirror and Rollforward with ordering off, key: path and key: service, same origins.
#
#   ./mvnw -q -DskipTests package      # once: proxy/target/rollforward.jar
#   PORT_BASE=18800 bench/ordering/run.sh
#
# Settings: PORT_BASE=18800 ROUNDS=10 JITTER_MS=3 DURATION=10s WARMUP=5s CONNECTIONS=32 THREADS=2
# Prints a markdown section (also written to bench/out/ordering-<stamp>/results.md).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
PORT_BASE=${PORT_BASE:-18800}
ROUNDS=${ROUNDS:-10}
JITTER_MS=${JITTER_MS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
ROLLFORWARD_JAVA_OPTS=${ROLLFORWARD_JAVA_OPTS:--Xms64m -Xmx192m}
ROLLFORWARD_JAR=${ROLLFORWARD_JAR:-$REPO_DIR/proxy/target/rollforward.jar}
LIST_ORIGIN="$REPO_DIR/proxy/src/test/java/io/rollforward/proxy/testing/ListOrigin.java"

MASTER_PORT=$((PORT_BASE + 1))
BACKUP_PORT=$((PORT_BASE + 2))
NGINX_MIRROR_PORT=$((PORT_BASE + 11))
declare -A RF_PORT=([off]=$((PORT_BASE + 30)) [path]=$((PORT_BASE + 32)) [service]=$((PORT_BASE + 34)))

OUT="$BENCH_DIR/out/ordering-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
STARTED_PIDS=()
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${STARTED_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
wait_port() {
  local i
  for i in $(seq 1 "$((${2:-30} * 10))"); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

for tool in wrk java /usr/sbin/nginx; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ -f "$ROLLFORWARD_JAR" ] || { echo "$ROLLFORWARD_JAR is missing: ./mvnw -q -DskipTests package" >&2; exit 2; }

start_origins() {  # start_origins JITTER_MS: a fresh pair, empty lists
  local name port
  for name in master backup; do
    port=$MASTER_PORT; [ $name = backup ] && port=$BACKUP_PORT
    java -Xmx512m "$LIST_ORIGIN" "$port" "$1" >>"$OUT/origin-$name.log" 2>&1 &
    STARTED_PIDS+=("$!")
    eval "ORIGIN_${name^^}_PID=$!"
    wait_port "$port" 60 || { log "origin $name did not start"; exit 1; }
  done
}

stop_origins() {
  kill "$ORIGIN_MASTER_PID" "$ORIGIN_BACKUP_PID" 2>/dev/null || true
  wait "$ORIGIN_MASTER_PID" "$ORIGIN_BACKUP_PID" 2>/dev/null || true
}

start_rollforward() {  # start_rollforward off|path|service
  local kind=$1 conf="$OUT/rollforward-$1.yaml"
  {
    echo "listen: 127.0.0.1:${RF_PORT[$kind]}"
    echo "replicas:"
    echo "  - {name: master, url: http://127.0.0.1:$MASTER_PORT, rejoin: manual}"
    echo "  - {name: backup, url: http://127.0.0.1:$BACKUP_PORT, rejoin: manual}"
    echo "per-request-timeout: 10s"
    echo "eject-after: 0"
    echo "admin: {listen: 127.0.0.1:$((${RF_PORT[$kind]} + 1))}"
    echo "limits: {max-connections: 20000}"
    [ "$kind" = off ] || echo "ordering: {key: $kind}"
  } > "$conf"
  # shellcheck disable=SC2086
  java $ROLLFORWARD_JAVA_OPTS -jar "$ROLLFORWARD_JAR" check-config -c "$conf" >/dev/null
  # shellcheck disable=SC2086
  java $ROLLFORWARD_JAVA_OPTS -jar "$ROLLFORWARD_JAR" run -c "$conf" >>"$OUT/rollforward-$kind.log" 2>&1 &
  STARTED_PIDS+=("$!")
  wait_port "${RF_PORT[$kind]}" 60 || { log "rollforward-$kind did not start"; exit 1; }
}

start_nginx_mirror() {
  local dir="$OUT/nginx"
  mkdir -p "$dir/logs" "$dir/tmp"
  cat > "$dir/nginx.conf" <<CONF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  upstream master { server 127.0.0.1:$MASTER_PORT; keepalive 256; }
  upstream backup { server 127.0.0.1:$BACKUP_PORT; keepalive 256; }
  server {
    listen 127.0.0.1:$NGINX_MIRROR_PORT;
    location / { mirror /__mirror; mirror_request_body on; proxy_pass http://master; }
    location = /__mirror { internal; proxy_pass http://backup\$request_uri; }
  }
}
CONF
  /usr/sbin/nginx -c "$dir/nginx.conf" -p "$dir" -g 'daemon off;' >>"$dir/logs/stdout.log" 2>&1 &
  STARTED_PIDS+=("$!")
  wait_port "$NGINX_MIRROR_PORT" 10 || { log "nginx did not start"; exit 1; }
}

{
  echo "### Write ordering (issue 15)"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git -C "$REPO_DIR" rev-parse --short HEAD)," \
       "$(nproc) cpus shared with other work (load average at start: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "- origins: two ListOrigin processes (JDK HttpServer, 16 handler threads), an append-only list per path"
  echo
} > "$OUT/results.md"

# ---- 1. divergence with ordering off and on (origins with up to JITTER_MS of processing time)
echo "#### How often the two lists differ ($ROUNDS rounds of 50 clients x 20 POSTs, origin jitter 0-${JITTER_MS} ms)" >> "$OUT/results.md"
echo >> "$OUT/results.md"
echo "| ordering | rounds whose lists differ | list positions differing |" >> "$OUT/results.md"
echo "|---|---|---|" >> "$OUT/results.md"
for kind in off service; do
  start_origins "$JITTER_MS"
  start_rollforward "$kind"
  log "divergence rounds, ordering $kind"
  echo "java bench/ordering/OrderingRounds.java http://127.0.0.1:${RF_PORT[$kind]} http://127.0.0.1:$MASTER_PORT http://127.0.0.1:$BACKUP_PORT $ROUNDS" >> "$OUT/commands.txt"
  java "$BENCH_DIR/ordering/OrderingRounds.java" "http://127.0.0.1:${RF_PORT[$kind]}" \
    "http://127.0.0.1:$MASTER_PORT" "http://127.0.0.1:$BACKUP_PORT" "$ROUNDS" > "$OUT/rounds-$kind.txt" 2>&1
  read -r _ rounds _ positions < <(grep '^ROUNDS_DIFFERING' "$OUT/rounds-$kind.txt")
  echo "| $kind | $rounds | $positions |" >> "$OUT/results.md"
  cleanup; STARTED_PIDS=()
done
echo >> "$OUT/results.md"

# ---- 2. write throughput, same origins (no jitter), one run each
start_origins 0
start_nginx_mirror
for kind in off path service; do start_rollforward "$kind"; done
{
  echo "#### Write throughput: POST 1 KiB, wrk -t $THREADS -c $CONNECTIONS -d $DURATION (after a $WARMUP warm-up), 16 paths, one run"
  echo
  echo "| target | requests/s | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|"
} >> "$OUT/results.md"
for target in nginx-mirror rollforward-off rollforward-path rollforward-service; do
  case $target in
    nginx-mirror) port=$NGINX_MIRROR_PORT ;;
    rollforward-*) port=${RF_PORT[${target#rollforward-}]} ;;
  esac
  log "throughput $target"
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" -s "$BENCH_DIR/lua/post1k.lua" "http://127.0.0.1:$port" > "$OUT/warmup-$target.txt" 2>&1 || true
  echo "wrk -t $THREADS -c $CONNECTIONS -d $DURATION --latency -s bench/lua/post1k.lua http://127.0.0.1:$port" >> "$OUT/commands.txt"
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$BENCH_DIR/lua/post1k.lua" \
    "http://127.0.0.1:$port" > "$OUT/tput-$target.txt" 2>&1 || true
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$OUT/tput-$target.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$OUT/tput-$target.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/tput-$target.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$OUT/tput-$target.txt")
  echo "| $target | ${rps:-?} | ${p50:-?} | ${p99:-?} | ${non2xx:-0} |" >> "$OUT/results.md"
done
echo >> "$OUT/results.md"
echo "Commands: $OUT/commands.txt" >&2
cat "$OUT/results.md"
