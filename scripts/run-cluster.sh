#!/usr/bin/env bash
# `make run-cluster`: several instances on one machine, on loopback only (README "Running
# several instances"): a throwaway PostgreSQL cluster in a temporary directory, the
# simulated pNode network, three `serve` instances sharing the database (one collects,
# the others follow) and HAProxy in front of them, health-checking /health. Prints the
# URL; Ctrl-C stops everything and removes the temporary directory.
# Settings: PORT (the balancer, default 8080), INSTANCE_BASE_PORT (default 8081: the
# instances take it and the next two), SIM_BASE_PORT (16001), PG_PORT (15432),
# CACHE_TTL (15), COLLECTOR_LEASE_MS (15000).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=./build/pnode-analytics
PORT=${PORT:-8080}
INSTANCE_BASE_PORT=${INSTANCE_BASE_PORT:-8081}
SIM_BASE_PORT=${SIM_BASE_PORT:-16001}
PG_PORT=${PG_PORT:-15432}
SEEDS=9
INSTANCES=3
CAPTURES=testdata/prpc
TEMPLATE=scripts/cluster/haproxy.cfg.in

pg_bindir() {
  if [ -n "${PNODE_PG_BINDIR:-}" ]; then echo "$PNODE_PG_BINDIR"; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
PG_BIN=$(pg_bindir)
[ -x "$PG_BIN/initdb" ] || { echo "run-cluster: no PostgreSQL server (scripts/install-deps.sh installs it)" >&2; exit 1; }
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
[ -x "$HAPROXY" ] || { echo "run-cluster: no haproxy (scripts/install-deps.sh installs it)" >&2; exit 1; }

TMP=$(mktemp -d /tmp/pnode-cluster-XXXXXX)
# PostgreSQL refuses to run as root: as root, the server runs as the unprivileged `nobody`.
as_pg_user() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown nobody "$TMP"

PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  as_pg_user "$PG_BIN/pg_ctl" -D "$TMP/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
  echo "run-cluster: stopped, $TMP removed"
  exit "$rc"
}
trap cleanup EXIT INT TERM

echo "run-cluster: PostgreSQL on 127.0.0.1:$PG_PORT (data and logs in $TMP)"
as_pg_user "$PG_BIN/initdb" -D "$TMP/pg" -U postgres -A trust -E UTF8 --no-instructions >"$TMP/initdb.log" 2>&1
as_pg_user "$PG_BIN/pg_ctl" -D "$TMP/pg" -l "$TMP/postgres.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $TMP" start >/dev/null
as_pg_user "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -c "CREATE DATABASE pnode" postgres
DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/pnode"

"$BIN" sim --seeds "$SEEDS" --base-port "$SIM_BASE_PORT" --churn \
  --capture "$CAPTURES/get-pods-with-stats_2025-12-16T0931Z_v0.8_198pods_BarrieLAJ.json" \
  --capture "$CAPTURES/get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json" \
  >"$TMP/sim.log" 2>&1 &
SIM_PID=$!
PIDS+=($SIM_PID)
seeds=""
for i in $(seq 0 $((SEEDS - 1))); do seeds="${seeds:+$seeds,}127.0.0.1:$((SIM_BASE_PORT + i))"; done

# The dashboard when it has been built (make run-cluster builds it); the API without it.
if [ -z "${WEB_ROOT:-}" ] && [ -d web/dist ]; then WEB_ROOT=$PWD/web/dist; fi
WEB_ROOT=${WEB_ROOT:-}

config="$TMP/haproxy.cfg"
sed -e "s/@FRONT_PORT@/$PORT/" "$TEMPLATE" >"$config"
for i in $(seq 1 "$INSTANCES"); do
  port=$((INSTANCE_BASE_PORT + i - 1))
  IP_NODES="$seeds" PORT="$port" BIND=127.0.0.1 CACHE_TTL="${CACHE_TTL:-15}" DATABASE_URL="$DATABASE_URL" \
    COLLECTOR_LEASE_MS="${COLLECTOR_LEASE_MS:-15000}" WEB_ROOT="$WEB_ROOT" \
    "$BIN" serve >"$TMP/instance$i.log" 2>&1 &
  PIDS+=($!)
  sed -i -e "s/@PORT$i@/$port/" "$config"
  echo "run-cluster: instance $i (pid $!) on http://127.0.0.1:$port (log: $TMP/instance$i.log)"
done

"$HAPROXY" -db -q -f "$config" >"$TMP/haproxy.log" 2>&1 &
HAPROXY_PID=$!
PIDS+=($HAPROXY_PID)

# Ready when the balancer has a healthy instance behind it (the first snapshot is served).
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health" 2>/dev/null; then break; fi
  for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "run-cluster: a process ended at start; see the logs in $TMP" >&2; tail -n 3 "$TMP"/*.log >&2; exit 1; }
  done
  sleep 0.5
done
for i in $(seq 1 "$INSTANCES"); do
  role=$(curl -fsS "http://127.0.0.1:$((INSTANCE_BASE_PORT + i - 1))/health" 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin).get("role", "?"))' 2>/dev/null || echo starting)
  echo "run-cluster: instance $i is $role"
done
echo "run-cluster: serving http://127.0.0.1:$PORT through HAProxy  (Ctrl-C to stop)"
# Instances may be killed to watch a failover; the cluster stops with Ctrl-C, or when the
# simulator or the balancer ends.
wait -n "$SIM_PID" "$HAPROXY_PID" || true
echo "run-cluster: the simulator or HAProxy ended; stopping the rest" >&2
