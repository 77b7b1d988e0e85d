#!/usr/bin/env bash
# Renders docs/dashboard-preview.svg (and .png when rsvg-convert is installed): a picture of the
# Grafana dashboard filled with a real run, for operators who have no Grafana at hand.
#
#   ./mvnw -q -DskipTests package && grafana/preview/run.sh
#
# Starts on 127.0.0.1 only: two small origins (origin.py), Rollforward in front of them, and
# Prometheus (Debian's `prometheus` package) scraping the admin port every second. Drives a
# bounded load (load.py) for SECONDS, kill -9's the master origin at KILL_AT and restarts it at
# RESTART_AT, then draws every dashboard panel from its own PromQL over the run (render.py).
# Everything it started is stopped at the end, also on failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SECONDS_TOTAL=${SECONDS_TOTAL:-150}
KILL_AT=${KILL_AT:-50}
RESTART_AT=${RESTART_AT:-95}
RATE=${RATE:-40}
PORT_BASE=${PORT_BASE:-18300}
MASTER=$((PORT_BASE + 1)) BACKUP=$((PORT_BASE + 2)) PROXY=$((PORT_BASE + 10)) ADMIN=$((PORT_BASE + 11))
PROM=$((PORT_BASE + 90))
JAR=${ROLLFORWARD_JAR:-$REPO/proxy/target/rollforward.jar}
OUT_SVG=${OUT_SVG:-$REPO/docs/dashboard-preview.svg}

command -v prometheus >/dev/null || { echo "prometheus missing: apt-get install -y prometheus" >&2; exit 2; }
[ -f "$JAR" ] || { echo "$JAR missing: ./mvnw -q -DskipTests package" >&2; exit 2; }

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start_origin() {  # start_origin NAME PORT
  python3 "$HERE/origin.py" "$1" "$2" &
  PIDS+=($!)
  eval "${1^^}_PID=$!"
}

await_url() {  # await_url URL: up to 30 s
  local i
  for i in $(seq 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "no answer from $1" >&2
  return 1
}

cat > "$WORK/rollforward.yaml" <<YAML
listen: 127.0.0.1:$PROXY
replicas:
  - name: master
    url: http://127.0.0.1:$MASTER
    check: {request: /.testpage, receive: "test page", interval: 1s, timeout: 500ms, rise: 2, fall: 2}
  - name: backup
    url: http://127.0.0.1:$BACKUP
    check: {request: /.testpage, receive: "test page", interval: 1s, timeout: 500ms, rise: 2, fall: 2}
per-request-timeout: 3s
limits: {max-header-size: 16KiB}
admin: {listen: 127.0.0.1:$ADMIN}
divergence-log-interval: 1m
YAML
cat > "$WORK/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: rollforward
    static_configs: [{targets: ["127.0.0.1:$ADMIN"]}]
YAML

start_origin master "$MASTER"
start_origin backup "$BACKUP"
java -Xms64m -Xmx192m -jar "$JAR" run -c "$WORK/rollforward.yaml" > "$WORK/rollforward.log" 2>&1 &
PIDS+=($!)
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$PROM" > "$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
await_url "http://127.0.0.1:$PROXY/"
await_url "http://127.0.0.1:$PROM/-/ready"

sleep 3
start=$(date +%s)
python3 "$HERE/load.py" "$PROXY" "$SECONDS_TOTAL" "$RATE" &
LOAD_PID=$!
PIDS+=("$LOAD_PID")
sleep "$KILL_AT"
kill -9 "$MASTER_PID"
echo "master origin killed at +${KILL_AT}s"
sleep $((RESTART_AT - KILL_AT))
start_origin master "$MASTER"
echo "master origin restarted at +${RESTART_AT}s"
wait "$LOAD_PID"
sleep 6  # the last scrapes
end=$(date +%s)

python3 "$HERE/render.py" "$REPO/grafana/dashboards/rollforward.json" "http://127.0.0.1:$PROM" "$start" "$end" \
  "$OUT_SVG" "grafana/preview/run.sh: ${SECONDS_TOTAL}s of load, master origin kill -9 at +${KILL_AT}s, back at +${RESTART_AT}s"
echo "wrote $OUT_SVG"
if command -v rsvg-convert >/dev/null; then
  rsvg-convert -o "${OUT_SVG%.svg}.png" "$OUT_SVG"
  echo "wrote ${OUT_SVG%.svg}.png"
fi
