#!/usr/bin/env bash
# VRRP takeover time of a keepalived pair, measured the way RingNetnsTest and HaPairNetnsTest
# measure Rollforward's ring and pair: the master's link cut and its keepalived killed (kill -9),
# then the time until a client's request to the VIP is answered again, by the backup's web
# server. Two nodes, a client and a bridge in network namespaces made here and removed on exit;
# every address exists only inside them.
#
#   bench/takeover/keepalived.sh [ADVERT_INT ...]     default: 1 0.1
#
# An advert_int below 1 s runs VRRPv3 (RFC 5798 allows centiseconds); 1 s and above VRRPv2.
# Settings: RUNS [5] per advert_int, PREFIX [rfr16] for namespace and link names (names stay
# <= 15 characters), PORT_BASE [19100] (the web servers listen on PORT_BASE+1 inside the
# namespaces). Needs root, iproute2, keepalived, python3. Output: bench/out/takeover-<time>/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
RUNS=${RUNS:-5}
PREFIX=${PREFIX:-rfr16}
PORT=$(( ${PORT_BASE:-19100} + 1 ))
ADVERTS=("$@")
[ ${#ADVERTS[@]} -gt 0 ] || ADVERTS=(1 0.1)
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 2; }
for tool in ip keepalived python3; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y iproute2 keepalived python3)" >&2; exit 2; }
done

out="$root/bench/out/takeover-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
suf=$(printf '%06x' $(( (RANDOM << 9 ^ RANDOM) & 0xffffff )))
BR=${PREFIX}kbr-$suf; A=${PREFIX}ka-$suf; B=${PREFIX}kb-$suf; C=${PREFIX}kc-$suf
VIP=10.216.17.100
NET=10.216.17
pids=()

now_ms() { date +%s%3N; }
log() { echo "$*" | tee -a "$out/commands.txt"; }

cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for ns in "$C" "$B" "$A" "$BR"; do ip netns del "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT

# Polls (every 20 ms, at most $2 seconds) until the command $3... succeeds.
wait_for() {
    local what=$1 seconds=$2; shift 2
    local deadline=$(( $(now_ms) + seconds * 1000 ))
    until "$@"; do
        [ "$(now_ms)" -lt "$deadline" ] || { echo "timed out waiting for $what" >&2; return 1; }
        sleep 0.02
    done
}

attach() { # ns tag ip
    local ns=$1 ifname=${PREFIX}k$2$suf
    ip link add "$ifname" netns "$ns" type veth peer name "${ifname}p" netns "$BR"
    ip -n "$BR" link set "${ifname}p" master br0
    ip -n "$BR" link set "${ifname}p" up
    ip -n "$ns" link set "$ifname" name eth0
    ip -n "$ns" addr add "$3/24" dev eth0
    ip -n "$ns" link set eth0 up
}

for ns in "$BR" "$A" "$B" "$C"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n "$BR" link add br0 type bridge
ip -n "$BR" link set br0 up
attach "$A" a "$NET.1"; attach "$B" b "$NET.2"; attach "$C" c "$NET.10"
for node in a b; do
    ns=$A; [ $node = b ] && ns=$B
    ip netns exec "$ns" python3 "$here/origin.py" "node-$node" "$PORT" >"$out/origin-$node.log" 2>&1 &
    pids+=($!)
done

holds_vip() { ip -n "$1" -o addr show dev eth0 | grep -q " $VIP/"; }
probe_saw() { grep -q " ok node-$1\$" "$2"; }
answered_by_b_after() { awk -v t="$1" '$2 >= t && $3 == "ok" && $4 == "node-b" { found = 1; exit } END { exit !found }' "$2"; }

config() { # node priority state advert version
    cat <<CONF
global_defs {
    router_id node-$1
    vrrp_version $5
}
vrrp_instance VI_1 {
    state $3
    interface eth0
    virtual_router_id 61
    priority $2
    advert_int $4
    virtual_ipaddress {
        $VIP/24 dev eth0
    }
}
CONF
}

start_keepalived() { # node ns priority state advert version run
    local dir="$out/$5-run$7"
    mkdir -p "$dir"
    config "$1" "$3" "$4" "$5" "$6" >"$dir/node-$1.conf"
    # -P: VRRP only; -n: no daemon; -l: log to the console (captured); own pid files per node.
    ip netns exec "$2" keepalived -P -n -l -D -f "$dir/node-$1.conf" -p "$dir/node-$1.pid" \
        -r "$dir/node-$1-vrrp.pid" >"$dir/keepalived-$1.log" 2>&1 &
    pids+=($!)
    echo $!
}

summary=()
for advert in "${ADVERTS[@]}"; do
    version=2
    awk -v a="$advert" 'BEGIN { exit !(a < 1) }' && version=3
    times=()
    for run in $(seq 1 "$RUNS"); do
        dir="$out/$advert-run$run"
        ip -n "$A" addr del "$VIP/24" dev eth0 2>/dev/null || true
        ip -n "$B" addr del "$VIP/24" dev eth0 2>/dev/null || true
        ip -n "$A" link set eth0 up
        ka=$(start_keepalived a "$A" 150 MASTER "$advert" "$version" "$run")
        kb=$(start_keepalived b "$B" 100 BACKUP "$advert" "$version" "$run")
        wait_for "node-a to hold the VIP" 30 holds_vip "$A"
        wait_for "node-b to be BACKUP" 30 grep -q "Entering BACKUP STATE" "$dir/keepalived-b.log"
        ip netns exec "$C" python3 "$here/probe.py" "$VIP" "$PORT" 20000 5 300 >"$dir/probe.txt" 2>&1 &
        probe=$!; pids+=($probe)
        wait_for "an answer from node-a" 30 probe_saw a "$dir/probe.txt"
        killed=$(now_ms)
        ip -n "$A" link set eth0 down
        # The VRRP child as well as its parent: a dead machine, not a keepalived that says goodbye.
        kill -9 "$(cat "$dir/node-a-vrrp.pid")" "$ka" 2>/dev/null || true
        wait_for "an answer from node-b" 30 answered_by_b_after "$killed" "$dir/probe.txt"
        first=$(awk -v t="$killed" '$2 >= t && $3 == "ok" && $4 == "node-b" { print $2; exit }' "$dir/probe.txt")
        times+=($(( first - killed )))
        echo "keepalived advert_int $advert (VRRPv$version) run $run: first reply from node-b $(( first - killed )) ms after cut + kill -9"
        kill "$probe" "$kb" 2>/dev/null || true
        wait "$probe" "$kb" "$ka" 2>/dev/null || true
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    line="keepalived advert_int $advert (VRRPv$version), $RUNS runs: ${times[*]} ms; median $median ms"
    echo "$line"; summary+=("$line")
done
printf '%s\n' "${summary[@]}" >"$out/summary.txt"
echo "raw output: $out"
