#!/usr/bin/env bash
# `make run`: the whole system on loopback: the simulated pNode network (9 seeds replaying
# the recorded captures, with churn; every public pod answering pRPC on its own loopback
# address; pod-credits lists on the first seed) and the server polling, probing and reading
# them, with SQLite under ./data.
# Ctrl-C stops both. DATA_DIR (default ./data) holds the database and the simulator's log.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-./build/pnode-analytics}
PORT=${PORT:-8080}
SIM_BASE_PORT=${SIM_BASE_PORT:-16001}
SEEDS=9
CAPTURES=testdata/prpc
DATA_DIR=${DATA_DIR:-data}
mkdir -p "$DATA_DIR"

"$BIN" sim --seeds "$SEEDS" --base-port "$SIM_BASE_PORT" --churn --serve-pods \
  --capture "$CAPTURES/get-pods-with-stats_2025-12-16T0931Z_v0.8_198pods_BarrieLAJ.json" \
  --capture "$CAPTURES/get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json" \
  > "$DATA_DIR/sim.log" 2>&1 &
SIM_PID=$!
trap 'kill "$SIM_PID" 2>/dev/null || true; wait 2>/dev/null || true' EXIT INT TERM

seeds=""
for i in $(seq 0 $((SEEDS - 1))); do seeds="${seeds:+$seeds,}127.0.0.1:$((SIM_BASE_PORT + i))"; done

echo "pnode-analytics: simulated network on 127.0.0.1:${SIM_BASE_PORT}-$((SIM_BASE_PORT + SEEDS - 1)) (log: $DATA_DIR/sim.log)"
echo "pnode-analytics: serving http://127.0.0.1:${PORT}  (Ctrl-C to stop)"
IP_NODES="$seeds" PORT="$PORT" CACHE_TTL="${CACHE_TTL:-15}" \
  DATABASE_URL="${DATABASE_URL:-sqlite://$(realpath "$DATA_DIR")/pnode-analytics.db}" \
  CREDITS_MAINNET_URL="http://127.0.0.1:${SIM_BASE_PORT}/credits/mainnet" \
  CREDITS_DEVNET_URL="http://127.0.0.1:${SIM_BASE_PORT}/credits/devnet" \
  "$BIN" serve
