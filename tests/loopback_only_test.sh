#!/usr/bin/env bash
# "No packet leaves 127.0.0.0/8" for the demo (issue 13): `make run`'s scripts/run.sh (the
# simulator with churn and every public pod serving pRPC, the server polling, probing and
# reading pod credits) runs in a network namespace of its own whose only way out is a
# veth device with the default route. Every packet sent anywhere but loopback would cross
# that device and count in its tx_packets; the test asserts the count stays at zero while
# the demo completes cycles, a probe round and a credits read.
#
# A control packet first shows that the counter sees an escape: one UDP datagram to
# 192.0.2.1 (TEST-NET-1, documentation only). It goes nowhere: the veth's peer sits in
# the same namespace with no address, and the namespace has no other link.
#
# Needs root (unshare --net); CI runs as root. Anywhere else it skips (exit 77).
# Its loopback is its own, so the fixed ports below meet no other test.
# Usage: loopback_only_test.sh <build dir>
set -euo pipefail

BUILD_DIR=$(realpath "$1")
REPO=$(cd "$(dirname "$0")/.." && pwd)

if [ "${INSIDE_NETNS:-}" != 1 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null || ! command -v ip >/dev/null; then
    echo "skipped: needs root, unshare and ip (iproute2)"
    exit 77
  fi
  exec env INSIDE_NETNS=1 unshare --net "$0" "$@"
fi

# ---- inside the namespace --------------------------------------------------------------
ip link set lo up
echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6   # no router solicitations on the veth
ip link add escape0 type veth peer name escape1
ip addr add 192.0.2.254/24 dev escape0
ip link set escape0 up
ip link set escape1 up
# A permanent neighbour for the gateway: a packet out is one frame, with no ARP retries
# trickling in after the control.
ip neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 dev escape0 nud permanent
ip route add default via 192.0.2.1 dev escape0
# /proc/net/dev is this namespace's (/sys/class/net is the mounter's).
tx_packets() { awk '/escape0:/ { sub(/.*:/, ""); print $10 }' /proc/net/dev; }

python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("192.0.2.1", 9))'
sleep 0.5
control=$(tx_packets)
if [ "$control" != 1 ]; then
  echo "FAIL: the control datagram should be exactly one packet on escape0 (tx_packets $control): the counter proves nothing"
  exit 1
fi
echo "control: one datagram to 192.0.2.1 counted (1 packet on escape0)"

WORK=$(mktemp -d)
PORT=18480
SIM_BASE_PORT=18401
cleanup() {
  kill -- -"$RUN_PID" 2>/dev/null || true   # run.sh, the simulator and the server
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

BIN="$BUILD_DIR/pnode-analytics" DATA_DIR="$WORK" PORT=$PORT SIM_BASE_PORT=$SIM_BASE_PORT CACHE_TTL=2 \
  CREDITS_INTERVAL=30 setsid "$REPO/scripts/run.sh" > "$WORK/run.log" 2>&1 &
RUN_PID=$!

get() { curl -sf --max-time 2 "http://127.0.0.1:$PORT$1" 2>/dev/null || true; }
# A finished probe round in which pods answered, and credits lists matched to online nodes.
ok=0
for _ in $(seq 1 120); do
  probe=$(get /network/probe)
  credits=$(get /network/credits)
  if python3 - "$probe" "$credits" <<'EOF'
import json, sys
try:
    probe, credits = json.loads(sys.argv[1]), json.loads(sys.argv[2])
except ValueError:
    sys.exit(1)
sys.exit(0 if probe.get("answered", 0) > 0 and credits.get("online_nodes_listed", 0) > 0 else 1)
EOF
  then ok=1; break; fi
  sleep 1
done
if [ "$ok" != 1 ]; then
  echo "FAIL: the demo did not probe and read credits within 120 s"
  tail -20 "$WORK/run.log"
  tail -5 "$WORK/sim.log"
  exit 1
fi
sleep 6   # a few more cycles and probe rounds
echo "demo: $(get /network/probe | python3 -c 'import json,sys; p=json.load(sys.stdin); print(p["probed"], "probed,", p["answered"], "answered")')"

after=$(tx_packets)
if [ "$after" -ne "$control" ]; then
  echo "FAIL: $((after - control)) packet(s) left loopback during the demo"
  exit 1
fi
echo "ok: no packet left 127.0.0.0/8 during the demo (escape0 tx_packets still $after)"
