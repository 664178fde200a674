#!/usr/bin/env bash
# `make bench`: the benchmark suite (issue 4), on loopback with the simulator only.
#   1. Google Benchmark of the hot functions at 10k pods (bench_hot),
#   2. the collector's whole cycle at 10k and 100k pods, CPU and wall time (bench_cycle),
#   3. per-node history at 10k nodes x 30 days: bytes per node-sample and one node's
#      30-day query latency (bench_store_history; the filled database is kept in
#      $BENCH_DATA and reused by later runs),
#   4. the server's resident memory on a copy of that database after two cycles of a
#      synthetic 10k network,
#   5. HTTP load with wrk against the server polling a synthetic 10k network,
#   6. the PostgreSQL store (issue 11) on a throwaway cluster of its own (fsync off, as
#      in the tests): bytes per node-sample and one node's 30-day query latency (1,000
#      nodes by default; refilled every run), cycle write time at 10k and 100k pods
#      (bench_store_history --postgres),
#   7. the prober's round over the public pods of a synthetic 10k network, each served by
#      the simulator on its own loopback address (bench_probe): wall and CPU time, and the
#      most requests the pods had in flight at once (the cap, 32).
# Writes bench/results/<UTC date>.json and prints a table of every figure, its target and
# whether it is met.
# The first run fills the history database (432 M samples: several minutes); later runs
# reuse it.
# Environment: BENCH_BUILD_DIR (default build), BENCH_DATA (default /tmp/pnode-bench),
# BENCH_HISTORY_DB (default $BENCH_DATA/history-sim-<nodes>-<days>d.db: the simulator's addresses), BENCH_HISTORY_NODES
# (10000) and BENCH_HISTORY_DAYS (30) for a smaller smoke run, WRK_DURATION (default 10s),
# WRK_CONNECTIONS (default 32), BENCH_PG_NODES (1000) and BENCH_PG_DAYS (30) for the
# PostgreSQL fill, BENCH_SKIP_POSTGRES=1 to leave PostgreSQL out.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BENCH_BUILD_DIR:-build}
DATA=${BENCH_DATA:-/tmp/pnode-bench}
WRK_DURATION=${WRK_DURATION:-10s}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
RUN=$(mktemp -d /tmp/pnode-bench-run.XXXXXX)
PIDS=()
FINISHED=0
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f "$RUN"/*.db "$RUN"/*.db-*
  if [ "$FINISHED" = 1 ]; then rm -rf "$RUN"; else echo "bench: raw outputs kept in $RUN" >&2; fi
}
trap cleanup EXIT
mkdir -p "$DATA" bench/results

command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -f "$BUILD/build.ninja" ] || cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "== building the benchmarks in $BUILD"
cmake --build "$BUILD" --target pnode-analytics bench_hot bench_cycle bench_store_history bench_probe
BIN=$ROOT/$BUILD
[ -d "$BIN" ] || BIN=$BUILD

echo "== machine"
{
  echo "nproc=$(nproc)"
  echo "model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "ram_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)"
  echo "kernel=$(uname -r)"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$RUN/machine.txt"

echo "== hot functions (Google Benchmark, 10k pods)"
"$BIN/bench/bench_hot" --benchmark_min_time=0.5 --benchmark_out="$RUN/hot.json" --benchmark_out_format=json

echo "== collector cycle"
# Medians over 10 and 5 cycles: under glibc's default heap the first cycles after the first
# fault their memory in while the heap settles (bench/README.md, fourth series).
"$BIN/bench/bench_cycle" --pods=10000 --cycles=10 --dir="$RUN" > "$RUN/cycle_10k.json"
cat "$RUN/cycle_10k.json"
"$BIN/bench/bench_cycle" --pods=100000 --cycles=5 --dir="$RUN" > "$RUN/cycle_100k.json"
cat "$RUN/cycle_100k.json"
# The same cycles under the server's heap policy (freed memory returned after each cycle,
# so each cycle faults its working set in afresh): what the server pays.
"$BIN/bench/bench_cycle" --pods=10000 --cycles=10 --dir="$RUN" --server-heap > "$RUN/cycle_10k_server_heap.json"
cat "$RUN/cycle_10k_server_heap.json"
"$BIN/bench/bench_cycle" --pods=100000 --cycles=3 --dir="$RUN" --server-heap > "$RUN/cycle_100k_server_heap.json"
cat "$RUN/cycle_100k_server_heap.json"

echo "== per-node history, 10k nodes x 30 days"
HISTORY_NODES=${BENCH_HISTORY_NODES:-10000}
HISTORY_DAYS=${BENCH_HISTORY_DAYS:-30}
HISTORY_DB=${BENCH_HISTORY_DB:-$DATA/history-sim-$HISTORY_NODES-${HISTORY_DAYS}d.db}
REUSE=()
[ -f "$HISTORY_DB.done" ] && REUSE=(--reuse)
"$BIN/bench/bench_store_history" --nodes="$HISTORY_NODES" --days="$HISTORY_DAYS" --db="$HISTORY_DB" --queries=300 --cycles=10 "${REUSE[@]}" \
  | tee "$RUN/history.txt"
touch "$HISTORY_DB.done"

if [ "${BENCH_SKIP_POSTGRES:-0}" != 1 ]; then
  # History: 30 days of ${BENCH_PG_NODES:-1000} nodes (the fill goes through the raw table
  # hour by hour: about 17 minutes at 1,000 nodes, 80 at 10,000); a node's query reads
  # the same 720 chunks at any node count.
  echo "== PostgreSQL store: per-node history, ${BENCH_PG_NODES:-1000} nodes x ${BENCH_PG_DAYS:-30} days"
  "$BIN/bench/bench_store_history" --postgres --nodes="${BENCH_PG_NODES:-1000}" --days="${BENCH_PG_DAYS:-30}" \
    --queries=300 --cycles=0 | tee "$RUN/pg_history.txt"
  # Cycles from an empty database across an hour boundary, so the next hour's first
  # cycles compact the first one in slices.
  echo "== PostgreSQL store: cycle writes at 10k pods"
  "$BIN/bench/bench_store_history" --postgres --nodes=10000 --days=30 --fill-days=0 --queries=0 --no-footprint \
    --cycles=75 | tee "$RUN/pg_cycle_10k.txt"
  echo "== PostgreSQL store: cycle writes at 100k pods"
  "$BIN/bench/bench_store_history" --postgres --nodes=100000 --days=30 --fill-days=0 --queries=0 --no-footprint \
    --cycles=5 | tee "$RUN/pg_cycle_100k.txt"
fi

# Waits until the log file $1 shows $2 finished cycles (at most $3 seconds). Cycles are
# counted, not named: a restored database continues its cycle numbers.
wait_for_cycle() {
  for _ in $(seq 1 $(($3 * 10))); do
    [ "$(grep -cE ' cycle [0-9]+: ' "$1" 2>/dev/null)" -ge "$2" ] && return 0
    sleep 0.1
  done
  echo "bench: fewer than $2 cycles within $3 s; log:" >&2
  tail -20 "$1" >&2
  return 1
}

# Starts a synthetic 10k simulator on ephemeral ports, its output in $RUN/$1.out and
# $RUN/$1.err, with any further arguments; sets IP_NODES and SIM_PID.
start_sim() {
  local name=$1
  shift
  "$BIN/pnode-analytics" sim --mode synthetic --pods 10000 --seeds 9 --base-port 0 "$@" > "$RUN/$name.out" 2> "$RUN/$name.err" &
  SIM_PID=$!
  PIDS+=($SIM_PID)
  for _ in $(seq 1 300); do
    grep -q '^IP_NODES=' "$RUN/$name.out" && break
    sleep 0.1
  done
  IP_NODES=$(grep '^IP_NODES=' "$RUN/$name.out" | cut -d= -f2)
  [ -n "$IP_NODES" ] || { echo "bench: the simulator did not start" >&2; cat "$RUN/$name.err" >&2; exit 1; }
}

# The prober (issue 13): its own simulator, serving every public pod on 127.1.x.y:6000.
echo "== probe round, 10k pods (every public pod answering on its own address)"
start_sim probe_sim --serve-pods --public-percent 34
"$BIN/bench/bench_probe" --ip-nodes="$IP_NODES" --rounds=3 > "$RUN/probe_10k.json"
cat "$RUN/probe_10k.json"
kill "$SIM_PID"
wait "$SIM_PID" 2>/dev/null || true

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A server on the simulator's seeds, on a free loopback port, with the database
# $RUN/<name>.db and the log $RUN/<name>.log; more settings as NAME=VALUE arguments.
# Sets SERVER_PORT and SERVER_PID; stop_server stops it and deletes its database.
start_server() {
  local name=$1
  shift
  SERVER_PORT=$(free_port)
  env IP_NODES="$IP_NODES" HTTP_THREADS=2 PORT="$SERVER_PORT" BIND=127.0.0.1 DATABASE_URL="sqlite://$RUN/$name.db" \
    "$@" "$BIN/pnode-analytics" serve > "$RUN/$name.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=($SERVER_PID)
}
stop_server() {  # name
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  rm -f "$RUN/$1".db*
}

start_sim sim

echo "== server resident memory with 30 days of history (2 cycles of 10k pods)"
cp --reflink=auto "$HISTORY_DB" "$RUN/rss.db"
# Retention far back, so the first cycle keeps the filled (older) history instead of
# deleting it.
start_server rss CACHE_TTL=5 RETENTION_DAYS=3650
wait_for_cycle "$RUN/rss.log" 2 120
curl -s "http://127.0.0.1:$SERVER_PORT/pnodes?limit=100" > /dev/null
curl -s "http://127.0.0.1:$SERVER_PORT/network/analytics" > /dev/null
RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
HWM_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
echo "rss_kb=$RSS_KB hwm_kb=$HWM_KB" | tee "$RUN/rss.txt"
stop_server rss

# What the whole server process spends a cycle (all threads: receiving the seeds' bodies,
# parse, cycle, store, prober), from /proc over cycles 3-8 of a fresh database: unlike
# bench_cycle, this includes the HTTP client and the server's own heap policy.
echo "== server process CPU and minor faults a cycle (10k pods, CACHE_TTL=3)"
start_server cc CACHE_TTL=3
wait_for_cycle "$RUN/cc.log" 2 120
read -r FAULTS0 TICKS0 < <(awk '{print $10, $14 + $15}' "/proc/$SERVER_PID/stat")
wait_for_cycle "$RUN/cc.log" 8 300
read -r FAULTS1 TICKS1 < <(awk '{print $10, $14 + $15}' "/proc/$SERVER_PID/stat")
echo "cpu_ms=$(((TICKS1 - TICKS0) * 1000 / $(getconf CLK_TCK) / 6)) faults=$(((FAULTS1 - FAULTS0) / 6))" |
  tee "$RUN/server_cycle.txt"
stop_server cc

echo "== HTTP load (wrk -t1 -c$WRK_CONNECTIONS -d$WRK_DURATION), 10k pods"
start_server http CACHE_TTL=3600
wait_for_cycle "$RUN/http.log" 1 120
BASE=http://127.0.0.1:$SERVER_PORT
NODE=$(curl -s "$BASE/pnodes?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pnodes"][0]["address"])')
ROUTES=(
  "/health"
  "/pnodes?limit=100"
  "/pnodes?status=all&limit=1000&sort_by=score"
  "/network/analytics"
  "/alerts"
  "/node/$NODE/history"
)
: > "$RUN/wrk.tsv"
run_wrk() {  # label, path, extra wrk args...
  local label=$1 path=$2
  shift 2
  wrk -t1 -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency "$@" "$BASE$path" > "$RUN/wrk.out"
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$RUN/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$RUN/wrk.out")
  printf '%s\t%s\t%s\t%s\n' "$label" "$path" "$rps" "$p99" >> "$RUN/wrk.tsv"
  printf '  %-50s %10s req/s  p99 %s\n' "$label" "$rps" "$p99"
}
for route in "${ROUTES[@]}"; do run_wrk "GET $route" "$route"; done
# The same pages for a client that accepts gzip (browsers do): compressed once per body.
run_wrk "GET /pnodes?limit=100 (gzip)" "/pnodes?limit=100" -H "Accept-Encoding: gzip"
run_wrk "GET /pnodes?status=all&limit=1000&sort_by=score (gzip)" "/pnodes?status=all&limit=1000&sort_by=score" \
  -H "Accept-Encoding: gzip"
# Pages the cache has not seen (skip varies per request): the cost of serialising a page.
run_wrk "GET /pnodes?limit=100&skip=<varies> (uncached)" "/pnodes?limit=100" -s "$ROOT/scripts/bench_vary_skip.lua"
stop_server http
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RUN/machine.txt"

python3 scripts/bench_report.py "$RUN" "${BENCH_RESULT:-bench/results/$(date -u +%F).json}" "${BENCH_README:-README.md}"
FINISHED=1

# PostgreSQL followers (issue 11): how long after the leader serves a cycle a follower
# serves it, kept current by LISTEN/NOTIFY alone (median and p95 over 20 cycles). Needs
# the PostgreSQL server binaries (initdb); skipped, saying so, without them.
echo "== follower lag behind the leader (PostgreSQL, LISTEN/NOTIFY)"
cmake --build "$BUILD" --target bench_follower_lag
if LAG=$("$BIN/bench/bench_follower_lag" --cycles=20); then
  echo "$LAG" | tee "bench/results/$(date -u +%F)-follower-lag.json"
else
  echo "bench: follower lag not measured (see above)" >&2
fi
