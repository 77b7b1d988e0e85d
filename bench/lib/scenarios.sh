# shellcheck shell=bash
# The three scenarios and the RESULTS.md writer. Sourced by run.sh after lib/servers.sh.

port_of() {
  case $1 in
    apache-direct) echo "$MASTER_PORT" ;;
    nginx-proxy) echo "$NGINX_PROXY_PORT" ;;
    nginx-mirror) echo "$NGINX_MIRROR_PORT" ;;
    nginx-failover) echo "$NGINX_FAILOVER_PORT" ;;
    haproxy) echo "$HAPROXY_PORT" ;;
    rollforward-mirror) echo "$RF_MIRROR_PORT" ;;
    rollforward-single) echo "$RF_SINGLE_PORT" ;;
    *) die "unknown target $1" ;;
  esac
}

url_of() { echo "http://127.0.0.1:$(port_of "$1")"; }

# serves_ok TARGET: the target answers GET /.testpage with 200 right now.
serves_ok() {
  [ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$(url_of "$1")/.testpage")" = 200 ]
}

# pids_of TARGET: the processes whose RSS is the target's memory.
pids_of() {
  case $1 in
    rollforward-mirror) echo "${ROLLFORWARD_MIRROR_PID:-}" ;;
    rollforward-single) echo "${ROLLFORWARD_SINGLE_PID:-}" ;;
    nginx-*) echo "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" ;;
    haproxy) echo "$HAPROXY_PID" ;;
    *) die "no process for $1" ;;
  esac
}

# proxy_cpu_seconds TARGET / origins_cpu_seconds: CPU seconds used so far by the target's
# processes (0 for apache-direct, which has none) and by both Apache process groups.
proxy_cpu_seconds() {
  [ "$1" = apache-direct ] && { echo 0; return; }
  # shellcheck disable=SC2046
  python3 "$BENCH_DIR/tools/cpu_seconds.py" $(pids_of "$1")
}
origins_cpu_seconds() {
  python3 "$BENCH_DIR/tools/cpu_seconds.py" "g:$(cat "$WORK/apache-master/run/pgid")" "g:$(cat "$WORK/apache-backup/run/pgid")"
}

rss_mib() {
  local kib
  # shellcheck disable=SC2046
  kib=$(ps -o rss= -p $(echo "$@" | tr ' ' ',' | sed 's/,,*/,/g; s/^,//; s/,$//') | awk '{s+=$1} END {print s+0}')
  awk -v k="$kib" 'BEGIN {printf "%.1f", k / 1024}'
}

# established_to PORT: established TCP connections whose local end is 127.0.0.1:PORT.
established_to() { ss -Htn state established | awk -v p=":$1" '$3 ~ p"$"' | wc -l; }

# connections_to PORT PID...: established TCP connections of those processes to 127.0.0.1:PORT.
connections_to() {
  local port=$1; shift
  ss -Htnp state established "( dport = :$port )" |
    awk -v pids=" $* " '{ if (match($0, /pid=[0-9]+/) && index(pids, " " substr($0, RSTART + 4, RLENGTH - 4) " ")) n++ } END { print n + 0 }'
}

# accesses PORT: Apache's request counter (mod_status).
accesses() { curl -s -m 5 "http://127.0.0.1:$1/server-status?auto" | sed -n 's/^Total Accesses: //p'; }

run_wrk() {  # run_wrk OUTFILE ARGS...: one bounded wrk run, command logged to commands.txt
  local outfile=$1; shift
  echo "wrk $*" >> "$OUT/commands.txt"
  wrk "$@" > "$outfile" 2>&1 || log "wrk exited non-zero, see $outfile"
}

describe_machine() {
  echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "- commit: $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO_DIR" diff --quiet 2>/dev/null || echo ' (dirty)')"
  echo "- cpus: $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))"
  echo "- memory: $(free -g | awk '/^Mem:/ {print $2 " GiB total, " $7 " GiB available"}')"
  echo "- kernel: $(uname -r)"
  echo "- apache: $(/usr/sbin/apache2 -v | sed -n 's/^Server version: //p') (mpm_event)"
  echo "- nginx: $(/usr/sbin/nginx -v 2>&1 | sed 's/^nginx version: //')"
  echo "- haproxy: $(/usr/sbin/haproxy -v | head -1)"
  echo "- wrk: $(wrk -v 2>&1 | head -1)"
  if wants tls; then echo "- h2load: $(h2load --version 2>&1 | head -1), openssl: $(openssl version)"; fi
  if uses_rollforward; then
    echo "- java: $(java -version 2>&1 | head -1)${ROLLFORWARD_JAVA_OPTS:+, opts: $ROLLFORWARD_JAVA_OPTS}"
  fi
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows here)"
  echo "- client, proxies and both origins share these $(nproc) cpus"
}

# The JVM targets' JIT compiler threads, by name ("C2 CompilerThre", "C1 CompilerThre").
JIT_THREADS='^C[12] CompilerThre'

# jit_seconds TARGET: CPU seconds the target's JIT compilers used so far (0 for a target not on a JVM).
jit_seconds() {
  case $1 in
    rollforward-*) python3 "$BENCH_DIR/tools/cpu_seconds.py" --threads "$JIT_THREADS" $(pids_of "$1") ;;
    *) echo 0 ;;
  esac
}

# settle_jit TARGET LOAD...: after the warm-up, a JVM target keeps taking the warm-up load (the
# command LOAD..., one step of about JIT_STEP: jit_wrk_step or stream_probe_step) until its
# compilers used under JIT_QUIET of its CPU in the last step, or JIT_SETTLE_MAX seconds passed. A
# proxy runs for days: what is measured is its compiled code, not the compiler (here C2 still took
# 20 % of the proxy's CPU 15 s into a load, 1 % after 40 s).
settle_jit() {
  local target=$1 waited=0 step=${JIT_STEP%s} j0 p0 share
  shift
  case $target in rollforward-*) ;; *) return 0 ;; esac
  while [ "$waited" -lt "${JIT_SETTLE_MAX%s}" ]; do
    j0=$(jit_seconds "$target"); p0=$(proxy_cpu_seconds "$target")
    "$@"
    waited=$((waited + step))
    share=$(awk -v j="$(jit_seconds "$target")" -v j0="$j0" -v p="$(proxy_cpu_seconds "$target")" -v p0="$p0" \
      'BEGIN {d = p - p0; printf "%.3f", (d > 0 ? (j - j0) / d : 0)}')
    if awk -v s="$share" -v q="$JIT_QUIET" 'BEGIN {exit !(s < q)}'; then
      log "$target: JIT settled ${waited}s after the warm-up (compilers $share of its CPU in the last ${step}s)"
      echo "$target $waited $share settled" >> "$OUT/jit-settle.txt"
      return 0
    fi
  done
  log "$target: JIT not settled after ${waited}s more warm-up (compilers $share of its CPU); measuring anyway"
  echo "$target $waited $share not-settled" >> "$OUT/jit-settle.txt"
}

# jit_wrk_step WRK_ARGS...: one settle_jit step of wrk load
jit_wrk_step() { run_wrk "$OUT/jit-settle.wrk.txt" "$@" -d "$JIT_STEP"; }

# ---------------------------------------------------------------- throughput / latency
run_throughput() {
  local size target round live=()
  for target in $TARGETS; do
    if serves_ok "$target"; then live+=("$target"); else log "throughput: $target is not serving, skipped"; fi
  done
  for size in $SIZES; do
    for target in "${live[@]}"; do
      log "warm-up $target $size ($WARMUP)"
      run_wrk "$OUT/warmup-$size-$target.txt" -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" "$(url_of "$target")/$size.bin"
      settle_jit "$target" jit_wrk_step -t "$THREADS" -c "$CONNECTIONS" "$(url_of "$target")/$size.bin"
    done
    # Interleaved (A B C A B C ...) so slow drift of a noisy machine hits every target alike.
    for round in $(seq "$ROUNDS"); do
      for target in "${live[@]}"; do
        log "round $round/$ROUNDS $target $size ($DURATION)"
        local m0 b0 proxy0 origins0 jit0 file="$OUT/tput-$size-$target-r$round.txt"
        m0=$(accesses "$MASTER_PORT"); b0=$(accesses "$BACKUP_PORT")
        proxy0=$(proxy_cpu_seconds "$target"); origins0=$(origins_cpu_seconds); jit0=$(jit_seconds "$target")
        echo "wrk -t $THREADS -c $CONNECTIONS -d $DURATION --latency $(url_of "$target")/$size.bin" >> "$OUT/commands.txt"
        python3 "$BENCH_DIR/tools/cpu_seconds.py" --run wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" \
          --latency "$(url_of "$target")/$size.bin" > "$file" 2>&1 &
        local wrk_pid=$!
        # halfway through: how many connections the target holds open to each origin
        sleep "$(awk -v d="${DURATION%s}" 'BEGIN {print d / 2}')"
        local origin_conns=""
        if [ "$target" != apache-direct ]; then
          # shellcheck disable=SC2046
          origin_conns="ORIGIN_CONNECTIONS master=$(connections_to "$MASTER_PORT" $(pids_of "$target")) backup=$(connections_to "$BACKUP_PORT" $(pids_of "$target"))"
        fi
        wait "$wrk_pid" || log "wrk exited non-zero, see $file"
        [ -z "$origin_conns" ] || echo "$origin_conns" >> "$file"
        echo "CPU_SECONDS proxy=$(awk -v a="$(proxy_cpu_seconds "$target")" -v b="$proxy0" 'BEGIN {print a - b}')" \
             "origins=$(awk -v a="$(origins_cpu_seconds)" -v b="$origins0" 'BEGIN {print a - b}')" \
             "jit=$(awk -v a="$(jit_seconds "$target")" -v b="$jit0" 'BEGIN {print a - b}')" >> "$file"
        echo "ORIGIN_REQUESTS master=$(( $(accesses "$MASTER_PORT") - m0 - 1 )) backup=$(( $(accesses "$BACKUP_PORT") - b0 - 1 ))" \
          >> "$file"
      done
    done
  done
  echo "### Throughput and latency"
  echo
  echo "wrk -t $THREADS -c $CONNECTIONS -d $DURATION --latency, $ROUNDS interleaved rounds after a $WARMUP warm-up" \
       "per target (the JVM targets then in ${JIT_STEP} steps until their JIT compilers used under $JIT_QUIET of" \
       "their CPU, at most $JIT_SETTLE_MAX: $(awk '{printf "%s%s +%ss (%s)", NR > 1 ? ", " : "", $1, $2, $4}' "$OUT/jit-settle.txt" 2>/dev/null));" \
       "origins are the same two Apache instances for every target."
  python3 "$BENCH_DIR/tools/throughput_report.py" "$OUT" $TARGETS
  echo
}

# ---------------------------------------------------------------- latency (sequential)
# Added latency at low load: one keep-alive connection per target, LATENCY_COUNT turns of one
# request to each target in turn (shuffled order per turn, only one request in flight on the
# machine), after a wrk warm-up per target and LATENCY_WARMUP un-recorded turns; LATENCY_ROUNDS
# rounds, each a fresh set of connections. The other work on a shared machine then hits every
# target at the same moments, which separate per-target runs cannot promise.
run_latency() {
  local size target round live=() specs=() shown
  for target in $LATENCY_TARGETS; do
    if serves_ok "$target"; then live+=("$target"); else log "latency: $target is not serving, skipped"; fi
  done
  for size in $SIZES; do
    # Warm: the JVM targets JIT-compile their request path under load first, like the throughput
    # warm-up; a cold JVM's compiler threads would otherwise share the cores with the measurement.
    for target in "${live[@]}"; do
      log "latency warm-up $target $size ($WARMUP, wrk -c 4)"
      run_wrk "$OUT/latency-warmup-$size-$target.txt" -t 1 -c 4 -d "$WARMUP" "$(url_of "$target")/$size.bin"
      settle_jit "$target" jit_wrk_step -t 1 -c 4 "$(url_of "$target")/$size.bin"
    done
    for round in $(seq "$LATENCY_ROUNDS"); do
      specs=()
      shown=""
      for target in "${live[@]}"; do
        local procs=""
        [ "$target" = apache-direct ] || procs=$(pids_of "$target" | tr -s ' ' ',' | sed 's/^,//; s/,$//')
        specs+=(--target "$target=$(port_of "$target")${procs:+=$procs}")
        shown+="--target $target=$(port_of "$target")${procs:+=PIDS} "
      done
      log "latency round $round/$LATENCY_ROUNDS $size: $LATENCY_COUNT turns over ${live[*]}"
      echo "python3 bench/tools/seq_latency.py /$size.bin ${shown}--count $LATENCY_COUNT --warmup $LATENCY_WARMUP" >> "$OUT/commands.txt"
      python3 "$BENCH_DIR/tools/seq_latency.py" "/$size.bin" "${specs[@]}" --count "$LATENCY_COUNT" \
        --warmup "$LATENCY_WARMUP" --limit 120 --out-dir "$OUT" --tag "$size-r$round" \
        > "$OUT/latency-$size-r$round.json" 2> "$OUT/latency-$size-r$round.err" \
        || log "latency: client failed, see $OUT/latency-$size-r$round.err"
    done
  done
  echo "### Sequential latency (one keep-alive connection per target, low load)"
  echo
  echo "$LATENCY_COUNT turns of one \`GET\` to each target in turn (shuffled order per turn; one request in flight" \
       "on the machine at a time; one keep-alive connection per target), after a $WARMUP wrk warm-up" \
       "(-c 4) per target and size and $LATENCY_WARMUP un-recorded turns; $LATENCY_ROUNDS rounds, median over rounds." \
       "\"> 2x p50\": requests slower than twice the target's median (the stalls). Per request: the target's" \
       "CPU, its threads' sleeps (voluntary context switches), their wait for a CPU and preemptions (all threads," \
       "/proc schedstat). Client: bench/tools/seq_latency.py."
  python3 "$BENCH_DIR/tools/latency_report.py" "$OUT" $LATENCY_TARGETS
  echo
}

# ---------------------------------------------------------------- streaming
# kill_master_cmd: the shell command that kill -9s the master's whole process group (for a tool
# that fires it mid-download).
kill_master_cmd() { echo "kill -KILL -- -$(cat "$WORK/apache-master/run/pgid")"; }

# ensure_master TARGET: the master runs and TARGET serves from it (after an earlier kill).
ensure_master() {
  port_open "$MASTER_PORT" || start_apache master "$MASTER_PORT"
  [ "$1" = apache-direct ] || await_master_serving "$1"
}

# Time to first byte of a big rate-limited file and of an event stream, then kill -9 of the
# master 30% into STREAM_CLIENTS concurrent downloads of that file: who got it whole.
run_streaming() {
  local target port sha size=$((48 * 1024 * 1024))
  sha=$(sha256sum "$WORK/48m.bin" | cut -d' ' -f1)
  for target in $STREAM_TARGETS; do
    ensure_master "$target" || { log "streaming: $target does not serve from master, skipped"; continue; }
    port=$(port_of "$target")
    log "streaming $target: first byte of /rl/48m.bin and of /cgi-bin/sse"
    # warm first, on the probe's own path. A JVM target's first requests run interpreted code: a
    # fresh proxy gives its first byte 5-19 ms late, and one warmed only by keep-alive wrk load
    # still 4-7 ms, because a probe's per-connection code (accept, pipeline, a new connection to
    # each replica, a client leaving mid-body) ran a few times only and C2 compiles it while the
    # probes run, on the cores Apache needs. Measured here: after ~300 probes of /rl/8m.bin with the
    # compilers quiet, 1.7-2.6 ms, the rest being Apache's. So: the wrk warm-up of small replies,
    # then STREAM_WARMUP_GAP-spaced probes of /rl/8m.bin (each left after its first bytes) and of
    # short event streams (a CGI's chunked reply: the SSE probe's path) in JIT_STEP steps, until the JIT settles. The first 8 MiB probe is
    # reported as the cold figure.
    case $target in
      rollforward-*) run_wrk "$OUT/stream-warmup-$target.txt" -t 1 -c 4 -d "$WARMUP" "$(url_of "$target")/1k.bin" ;;
    esac
    echo "python3 bench/tools/first_bytes.py $port /rl/8m.bin --repeat 100000 --for-seconds $(( ${JIT_STEP%s} / 2 )) --gap $STREAM_WARMUP_GAP  # warm-up step, then:" >> "$OUT/commands.txt"
    echo "python3 bench/tools/first_bytes.py $port '/cgi-bin/sse?n=2&ms=0' --events --repeat 100000 --for-seconds $(( ${JIT_STEP%s} / 2 )) --gap $STREAM_WARMUP_GAP  # warm-up step" >> "$OUT/commands.txt"
    stream_probe_step "$port" "$OUT/ttfb-cold-$target.json"
    settle_jit "$target" stream_probe_step "$port" "$OUT/ttfb-warmup-$target.json"
    [ "$STREAM_GAP" = 0 ] || sleep "$STREAM_GAP"
    echo "python3 bench/tools/first_bytes.py $port /rl/48m.bin --repeat $STREAM_REPEAT --gap $STREAM_GAP" >> "$OUT/commands.txt"
    python3 "$BENCH_DIR/tools/first_bytes.py" "$port" /rl/48m.bin --repeat "$STREAM_REPEAT" --max-seconds 15 \
      --gap "$STREAM_GAP" > "$OUT/ttfb-$target.json" 2>&1 || true
    echo "python3 bench/tools/first_bytes.py $port '/cgi-bin/sse?n=10&ms=200' --events --repeat 3" >> "$OUT/commands.txt"
    python3 "$BENCH_DIR/tools/first_bytes.py" "$port" '/cgi-bin/sse?n=10&ms=200' --events --repeat 3 --max-seconds 15 \
      > "$OUT/sse-$target.json" 2>&1 || true
  done
  for target in $STREAM_KILL_TARGETS; do
    ensure_master "$target" || { log "streaming: $target does not serve from master, skipped"; continue; }
    port=$(port_of "$target")
    log "streaming $target: $STREAM_CLIENTS downloads of /rl/48m.bin, kill -9 of the master at 30%"
    echo "python3 bench/tools/downloads.py $port /rl/48m.bin --clients $STREAM_CLIENTS --expect-sha256 SHA256 --max-seconds 90 --kill-cmd 'kill -KILL -- -MASTER_PGID' --kill-at-fraction 0.3 --expected-bytes $size --kill-after-seconds 20" >> "$OUT/commands.txt"
    python3 "$BENCH_DIR/tools/downloads.py" "$port" /rl/48m.bin --clients "$STREAM_CLIENTS" --expect-sha256 "$sha" \
      --max-seconds 90 --kill-cmd "$(kill_master_cmd)" --kill-at-fraction 0.3 --expected-bytes "$size" \
      --kill-after-seconds 20 > "$OUT/streamkill-$target.json" 2>&1 || true
    log "streaming $target: $(cut -c1-300 "$OUT/streamkill-$target.json")"
    # not killed (every download ended before 30%): kill it now so the next target starts alike
    port_open "$MASTER_PORT" && kill_apache master "$MASTER_PORT"
    start_apache master "$MASTER_PORT"
  done
  echo "### Streaming (time to first byte, event streams, kill -9 mid-download)"
  echo
  echo "\`/rl/48m.bin\`: 48 MiB served by Apache at ${RATE_LIMIT_KIBPS:-8192} KiB/s per connection (mod_ratelimit);" \
       "first byte = first body byte after the request, median of $STREAM_REPEAT fresh connections." \
       "\`/cgi-bin/sse?n=10&ms=200\`: 10 server-sent events, the first at once, one every 200 ms; median of 3." \
       "Kill: $STREAM_CLIENTS concurrent downloads of \`/rl/48m.bin\`; when they have received 30% on average" \
       "the master's process group gets SIGKILL; \"whole\" = complete body, SHA-256 equal to the file's."
  python3 - "$OUT" "$STREAM_TARGETS" "$STREAM_KILL_TARGETS" <<'PY2'
import json, sys, os
out, targets, kill_targets = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
def load(name):
    try:
        return json.loads(open(os.path.join(out, name)).read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return None
def lines(name):
    try:
        return [json.loads(l) for l in open(os.path.join(out, name)) if l.startswith("{")]
    except (OSError, ValueError):
        return []
f = lambda v, d=1: "n/a" if v is None else f"{v:.{d}f}"
direct = load("ttfb-apache-direct.json")
direct_fb = direct and direct.get("first_byte_ms_median")
print()
print("| target | 48 MiB head ms | 48 MiB first byte ms | vs direct ms | SSE first event ms | SSE last event ms | events | errors | cold: first probe ms | warm-up probes |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for t in targets:
    a, e = load(f"ttfb-{t}.json"), load(f"sse-{t}.json")
    if not a:
        print(f"| {t} | skipped | | | | | | | | |"); continue
    cold = load(f"ttfb-cold-{t}.json")
    cold_fb = cold and cold.get("runs") and cold["runs"][0].get("first_byte_ms")
    probes = sum(x.get("requests", 0) for n in (f"cold-{t}", f"cold-{t}-sse", f"warmup-{t}", f"warmup-{t}-sse")
                 for x in lines(f"ttfb-{n}.json"))
    fb = a.get("first_byte_ms_median")
    vs = "" if t == "apache-direct" or fb is None or direct_fb is None else f"+{fb - direct_fb:.1f}"
    print(f"| {t} | {f(a.get('head_ms_median'))} | {f(fb)} | {vs} | {f(e and e.get('first_event_ms_median'))} "
          f"| {f(e and e.get('last_event_ms_median'))} | {f(e and e.get('events_median'), 0)} | {a['errors'] + (e['errors'] if e else 0)} "
          f"| {f(cold_fb)} | {probes} |")
print()
print("| target | clients | whole and identical | complete | errors | killed at (s, mean fraction) | statuses | seconds | error samples |")
print("|---|---:|---:|---:|---:|---|---|---:|---|")
for t in kill_targets:
    r = load(f"streamkill-{t}.json")
    if not r:
        print(f"| {t} | skipped | | | | | | | |"); continue
    k = r.get("killed") or {}
    print(f"| {t} | {r['clients']} | **{r['identical']}/{r['clients']}** | {r['complete']} | {r['errors']} "
          f"| {'%s s, %s' % (k['seconds'], k['mean_fraction_received']) if k else 'not killed: every download ended first'} "
          f"| {r['statuses']} | {r['seconds']} | {'; '.join(e[:100] for e in r.get('error_samples', [])[:2])} |")
PY2
  echo
}

# stream_probe_step PORT OUTFILE: JIT_STEP of the first-byte probes' own load, a streaming
# scenario's warm-up: fresh connections asking for /rl/8m.bin, STREAM_WARMUP_GAP apart, each left
# after the first body bytes, for half the step; short event streams (/cgi-bin/sse?n=2&ms=0: a
# CGI's chunked reply, read to its end) for the other half. One JSON line per step is appended to
# OUTFILE and to OUTFILE's -sse.json sibling.
stream_probe_step() {
  local half=$(( ${JIT_STEP%s} / 2 ))
  python3 "$BENCH_DIR/tools/first_bytes.py" "$1" /rl/8m.bin --repeat 100000 --for-seconds "$half" \
    --gap "$STREAM_WARMUP_GAP" --max-seconds 15 >> "$2" 2>&1 || true
  python3 "$BENCH_DIR/tools/first_bytes.py" "$1" '/cgi-bin/sse?n=2&ms=0' --events --repeat 100000 \
    --for-seconds "$half" --gap "$STREAM_WARMUP_GAP" --max-seconds 15 >> "${2%.json}-sse.json" 2>&1 || true
}

# ---------------------------------------------------------------- big replies under a heap bound
# 64 concurrent 8 MiB downloads (fast clients), then 1000 slow clients (64 KiB/s each, 64 KiB
# receive buffers) of the 48 MiB file for BIGMEM_SLOW_SECONDS: statuses, bodies, RSS, Netty memory.
run_bigmem() {
  local target port pids sampler sha8 admin
  sha8=$(sha256sum "$WORK/8m.bin" | cut -d' ' -f1)
  for target in $BIGMEM_TARGETS; do
    if [ "$target" = rollforward-mirror ] && [ -n "${ROLLFORWARD_MIRROR_PID:-}" ]; then
      kill_pid "$ROLLFORWARD_MIRROR_PID"   # a fresh JVM at the heap bound
      start_rollforward mirror "$RF_MIRROR_PORT" "$RF_MIRROR_ADMIN" || true
    fi
    ensure_master "$target" || { log "bigmem: $target not serving, skipped"; continue; }
    port=$(port_of "$target")
    pids=$(pids_of "$target")
    admin=""
    [ "$target" = rollforward-mirror ] && admin="--admin $RF_MIRROR_ADMIN"
    log "bigmem $target: 64 concurrent downloads of /8m.bin"
    # shellcheck disable=SC2086
    python3 "$BENCH_DIR/tools/proxy_memory.py" --seconds 30 --interval 0.5 $admin $pids > "$OUT/bigmem-fast-mem-$target.json" &
    sampler=$!
    echo "python3 bench/tools/downloads.py $port /8m.bin --clients 64 --expect-sha256 SHA256 --max-seconds 30" >> "$OUT/commands.txt"
    python3 "$BENCH_DIR/tools/downloads.py" "$port" /8m.bin --clients 64 --expect-sha256 "$sha8" --max-seconds 30 \
      > "$OUT/bigmem-fast-$target.json" 2>&1 || true
    kill -TERM "$sampler" 2>/dev/null || true   # it may have ended by itself
    wait "$sampler" 2>/dev/null || true
    log "bigmem $target: $(cut -c1-200 "$OUT/bigmem-fast-$target.json")"
    pids=$(pids_of "$target")
    log "bigmem $target: $BIGMEM_SLOW_CLIENTS slow clients (64 KiB/s) of /48m.bin for ${BIGMEM_SLOW_SECONDS}s"
    # shellcheck disable=SC2086
    python3 "$BENCH_DIR/tools/proxy_memory.py" --seconds "$BIGMEM_SLOW_SECONDS" --interval 1 $admin $pids \
      > "$OUT/bigmem-slow-mem-$target.json" &
    sampler=$!
    echo "python3 bench/tools/downloads.py $port /48m.bin --clients $BIGMEM_SLOW_CLIENTS --rate-kibps 64 --rcvbuf 65536 --max-seconds $BIGMEM_SLOW_SECONDS" >> "$OUT/commands.txt"
    python3 "$BENCH_DIR/tools/downloads.py" "$port" /48m.bin --clients "$BIGMEM_SLOW_CLIENTS" --rate-kibps 64 \
      --rcvbuf 65536 --max-seconds "$BIGMEM_SLOW_SECONDS" > "$OUT/bigmem-slow-$target.json" 2>&1 || true
    wait "$sampler" 2>/dev/null || true
    log "bigmem $target: $(cut -c1-200 "$OUT/bigmem-slow-$target.json")"
  done
  echo "### Big replies under the heap bound (memory)"
  echo
  echo "Fast: 64 concurrent downloads of \`/8m.bin\` (8 MiB, not rate-limited), each body checked by SHA-256." \
       "Slow: $BIGMEM_SLOW_CLIENTS concurrent clients reading \`/48m.bin\` at 64 KiB/s each with a 64 KiB socket" \
       "receive buffer, stopped after ${BIGMEM_SLOW_SECONDS}s (\"cut\": still reading then, as intended)." \
       "Rollforward runs fresh with \`$ROLLFORWARD_JAVA_OPTS\`; its memory is sampled from the admin \`/metrics\`" \
       "(Netty pooled direct memory, heap, rollforward_buffered_bytes when present) and \`ps\` (RSS), maxima over the phase."
  python3 - "$OUT" "$BIGMEM_TARGETS" <<'PY2'
import json, sys, os
out, targets = sys.argv[1], sys.argv[2].split()
def load(name):
    try:
        return json.loads(open(os.path.join(out, name)).read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return None
m = lambda r, k: "n/a" if not r or k not in r.get("max", {}) else f"{r['max'][k]:.0f}"
print()
print("| target | phase | clients | 200s | whole and identical | errors | cut | MiB received | max RSS MiB | max Netty direct MiB | max heap MiB | max buffered MiB | error samples |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for t in targets:
    for phase in ("fast", "slow"):
        r, mem = load(f"bigmem-{phase}-{t}.json"), load(f"bigmem-{phase}-mem-{t}.json")
        if not r:
            print(f"| {t} | {phase} | skipped | | | | | | | | | | |"); continue
        print(f"| {t} | {phase} | {r['clients']} | {r['statuses'].get('200', 0)} | {r['identical']} | {r['errors']} | {r['cut']} "
              f"| {r['bytes'] / 1048576:.0f} | {m(mem, 'rss_mib')} | {m(mem, 'netty_direct_mib')} | {m(mem, 'heap_used_mib')} "
              f"| {m(mem, 'buffered_mib')} | {'; '.join(e[:100] for e in r.get('error_samples', [])[:2])} |")
PY2
  echo
}

# ---------------------------------------------------------------- failover
# await_master_serving TARGET: the target serves from the (restarted) master again.
await_master_serving() {
  local url i
  url="$(url_of "$1")/.testpage"
  for i in $(seq 300); do
    if curl -s -m 2 -D - -o /dev/null "$url" | grep -qi '^x-origin: master'; then return 0; fi
    sleep 0.1
  done
  return 1
}

run_failover() {
  local target prefix wrk_pid kill_at run_end port
  for target in $FAILOVER_TARGETS; do
    if ! port_open "$MASTER_PORT"; then start_apache master "$MASTER_PORT"; fi
    if ! serves_ok "$target" || ! await_master_serving "$target"; then
      log "failover: $target does not serve from master, skipped"
      echo "{\"skipped\": true}" > "$OUT/failover-$target.json"
      continue
    fi
    prefix="$OUT/failover-$target"
    log "failover $target: $FAILOVER_CONNECTIONS clients on slow?ms=$SLOW_MS for ${FAILOVER_SECONDS}s, kill -9 master at ${KILL_AT}s"
    echo "wrk -t $THREADS -c $FAILOVER_CONNECTIONS -d ${FAILOVER_SECONDS}s --timeout 10s -s bench/lua/failover.lua $(url_of "$target")/cgi-bin/slow?ms=$SLOW_MS -- $prefix" >> "$OUT/commands.txt"
    wrk -t "$THREADS" -c "$FAILOVER_CONNECTIONS" -d "${FAILOVER_SECONDS}s" --timeout 10s \
      -s "$BENCH_DIR/lua/failover.lua" "$(url_of "$target")/cgi-bin/slow?ms=$SLOW_MS" -- "$prefix" \
      > "$prefix.txt" 2>&1 &
    wrk_pid=$!
    STARTED_PIDS+=("$wrk_pid")
    sleep "$KILL_AT"
    kill_at=$(date +%s.%N)
    kill_apache master "$MASTER_PORT"
    log "master killed at +${KILL_AT}s"
    wait "$wrk_pid" || log "wrk exited non-zero, see $prefix.txt"
    run_end=$(date +%s.%N)
    python3 "$BENCH_DIR/tools/failover_report.py" "$prefix" "$kill_at" "$run_end" > "$prefix.json"
    log "failover $target: $(cat "$prefix.json")"
    start_apache master "$MASTER_PORT"
  done
  echo "### Failover (kill -9 of the master Apache mid-load)"
  echo
  echo "$FAILOVER_CONNECTIONS wrk connections on \`/cgi-bin/slow?ms=$SLOW_MS\` for ${FAILOVER_SECONDS}s; at ${KILL_AT}s" \
       "the master's whole process group (parent, workers, cgid, running CGIs) gets SIGKILL. Errors = no reply or" \
       "non-2xx. In flight = sent before the kill, not answered before it; latency is per request, send to reply."
  echo
  python3 - "$OUT" $FAILOVER_TARGETS <<'PY'
import json, sys, os
out, targets = sys.argv[1], sys.argv[2:]
print("| target | requests | errors | in flight at kill | in-flight errors | in-flight p50 ms | in-flight p99 ms | in-flight max ms | in-flight answered after kill p50 / max ms | all requests p50 / p99 ms | errors sent after kill | last error after kill ms |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for t in targets:
    path = os.path.join(out, f"failover-{t}.json")
    try:
        r = json.load(open(path))
    except (OSError, ValueError):
        r = {"skipped": True}
    if r.get("skipped"):
        print(f"| {t} | skipped | | | | | | | | | | |"); continue
    f = lambda k: "-" if r.get(k) is None else r[k]
    print(f"| {t} | {r['sent']} | {r['errors']} | {r['in_flight_at_kill']} | {r['in_flight_errors']} | {f('in_flight_p50_ms')} | {f('in_flight_p99_ms')} | {f('in_flight_max_ms')} | {f('in_flight_answered_after_kill_p50_ms')} / {f('in_flight_answered_after_kill_max_ms')} | {f('all_p50_ms')} / {f('all_p99_ms')} | {r['errors_sent_after_kill']} | {f('last_error_after_kill_ms')} |")
PY
  echo
}

# ---------------------------------------------------------------- memory
run_memory() {
  local targets=${MEMORY_TARGETS:-"rollforward-mirror nginx-mirror haproxy"} target port pids idle_pid
  local rss_start rss_idle rss_load held rows=()
  for target in $targets; do
    if [ "$target" = rollforward-mirror ] && [ -n "${ROLLFORWARD_MIRROR_PID:-}" ]; then
      # A fresh JVM, so earlier scenarios do not inflate the idle figure.
      kill_pid "$ROLLFORWARD_MIRROR_PID"
      start_rollforward mirror "$RF_MIRROR_PORT" "$RF_MIRROR_ADMIN" || true
    fi
    if ! serves_ok "$target"; then log "memory: $target not serving, skipped"; rows+=("| $target | skipped | | | | |"); continue; fi
    port=$(port_of "$target")
    pids=$(pids_of "$target")
    rss_start=$(rss_mib $pids)
    log "memory $target: opening $IDLE_CONNECTIONS idle keep-alive connections"
    echo "python3 bench/tools/idle_connections.py $port $IDLE_CONNECTIONS 120" >> "$OUT/commands.txt"
    python3 "$BENCH_DIR/tools/idle_connections.py" "$port" "$IDLE_CONNECTIONS" 120 \
      < /dev/null > "$OUT/idle-$target.txt" 2>&1 &
    idle_pid=$!
    STARTED_PIDS+=("$idle_pid")
    local i
    for i in $(seq 900); do grep -q '^READY' "$OUT/idle-$target.txt" && break; kill -0 "$idle_pid" 2>/dev/null || break; sleep 0.1; done
    sleep 2
    held=$(established_to "$port")
    rss_idle=$(rss_mib $(pids_of "$target"))
    log "memory $target: $(head -1 "$OUT/idle-$target.txt"), $held established, RSS $rss_idle MiB"
    kill_pid "$idle_pid"
    run_wrk "$OUT/memory-load-$target.txt" -t "$THREADS" -c "$CONNECTIONS" -d "$MEMORY_LOAD" --latency "$(url_of "$target")/1k.bin"
    rss_load=$(rss_mib $(pids_of "$target"))
    rows+=("| $target | $rss_start | $(sed -n 's/^READY \([0-9]*\) \([0-9]*\).*/\1 open, \2 failed/p' "$OUT/idle-$target.txt"); $held established | $rss_idle | $rss_load | $(sed -n 's/^Requests\/sec: *//p' "$OUT/memory-load-$target.txt") |")
  done
  echo "### Memory (RSS)"
  echo
  echo "RSS of the proxy's processes (nginx: master + workers) when started, holding $IDLE_CONNECTIONS idle keep-alive" \
       "client connections (one GET /.testpage each, then idle), and after $MEMORY_LOAD of wrk load" \
       "(-c $CONNECTIONS, 1 KiB file, idle clients closed before)."
  echo
  echo "| target | RSS at start MiB | idle connections | RSS with idle MiB | RSS after load MiB | load req/s |"
  echo "|---|---:|---|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
}

# ---------------------------------------------------------------- RESULTS.md
write_results() {
  local section="$OUT/section.md" results="$BENCH_DIR/RESULTS.md"
  {
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC')${NOTE:+ — $NOTE}"
    echo
    cat "$OUT/machine.md"
    echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    if [ -s "$OUT/notes.md" ]; then echo "Notes:"; echo; sort -u "$OUT/notes.md"; echo; fi
    echo "Invocation: \`ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS THREADS=$THREADS" \
         "TARGETS=\"$TARGETS\" bench/run.sh ${SCENARIOS[*]}\`"
    echo
    echo "Commands (distinct lines of bench/out/$STAMP/commands.txt). Ports: apache-direct (master) $MASTER_PORT," \
         "backup $BACKUP_PORT, nginx-proxy $NGINX_PROXY_PORT, nginx-mirror $NGINX_MIRROR_PORT," \
         "nginx-failover $NGINX_FAILOVER_PORT, haproxy $HAPROXY_PORT, rollforward-mirror $RF_MIRROR_PORT," \
         "rollforward-single $RF_SINGLE_PORT."
    echo
    echo '```'
    awk '!seen[$0]++' "$OUT/commands.txt"
    echo '```'
    echo
    cat "$OUT/sections.md"
  } > "$section"
  cat "$section"
  if [ "$RECORD" = 1 ]; then
    python3 - "$results" "$section" <<'PY'
import sys, os
results, section = sys.argv[1], open(sys.argv[2]).read()
head = "# Benchmark results\n\nNewest first. Written by `bench/run.sh` (see bench/README.md); raw output stays in `bench/out/` (git-ignored).\n\n"
body = ""
if os.path.exists(results):
    text = open(results).read()
    i = text.find("\n## ")
    if i >= 0:
        head, body = text[:i + 1] + "\n", text[i + 1:]
open(results, "w").write(head.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n\n" + body)
PY
    log "results prepended to $results"
  fi
}
