#!/usr/bin/env bash
# The libFuzzer targets of fuzz/ (fuzz/README.md): configures and builds build-fuzz
# (preset "fuzz", clang) when needed, then runs each target.
#   fuzz.sh [SECONDS] [TARGET...]   `make fuzz`: each target for SECONDS (default 60), its
#                                   corpus kept and grown in build-fuzz/corpus/<name>, a
#                                   crashing input saved as build-fuzz/artifacts/<name>-crash-*
#   fuzz.sh --smoke [TARGET...]     the ctest smoke run (make test): every seed input and
#                                   FUZZ_SMOKE_RUNS (default 5000) mutations from a fixed
#                                   seed, in a throw-away corpus
#   fuzz.sh --build-only            configure and build only (make test does it before ctest)
# Seeds: fuzz/corpus/<name> (hand-written inputs and every crash found so far), plus the
# recorded captures of testdata/prpc for prpc_parse; fuzz/dict/<name>.dict, when there is
# one, gives the mutator the unit's tokens. TARGET names drop the "_fuzz" suffix.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=$ROOT/build-fuzz
ALL_TARGETS=(prpc_parse query http_request history_codec)

mode=run
seconds=60
case "${1:-}" in
  --smoke) mode=smoke; shift ;;
  --build-only) mode=build; shift ;;
  ''|*[!0-9]*) ;;
  *) seconds=$1; shift ;;
esac
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${ALL_TARGETS[@]}")

[ -f "$BUILD/build.ninja" ] || cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
[ "$mode" = build ] && exit 0

seed_dirs() {  # the read-only seed corpora of target $1
  echo "$ROOT/fuzz/corpus/$1"
  [ "$1" = prpc_parse ] && echo "$ROOT/testdata/prpc"
  return 0
}

run_target() {
  local name=$1 binary=$BUILD/fuzz/$1_fuzz
  [ -x "$binary" ] || { echo "fuzz: no target $name (one of: ${ALL_TARGETS[*]})" >&2; return 1; }
  mapfile -t seeds < <(seed_dirs "$name")
  local common=(-timeout=10 -rss_limit_mb=2048 -max_len=131072 -print_final_stats=1)
  [ -f "$ROOT/fuzz/dict/$name.dict" ] && common+=(-dict="$ROOT/fuzz/dict/$name.dict")
  if [ "$mode" = smoke ]; then
    local scratch
    scratch=$(mktemp -d /tmp/pnode-fuzz-smoke.XXXXXX)
    echo "fuzz: $name: smoke run (${FUZZ_SMOKE_RUNS:-5000} runs)"
    local status=0
    "$binary" "${common[@]}" -seed=1 -runs="${FUZZ_SMOKE_RUNS:-5000}" -artifact_prefix="$scratch/" \
      "$scratch" "${seeds[@]}" >"$scratch/log" 2>&1 || status=$?
    if [ $status -ne 0 ]; then
      tail -n 60 "$scratch/log"
      echo "fuzz: $name FAILED; the input is in $scratch (kept)" >&2
      return $status
    fi
    grep -E '^stat::number_of_executed_units|^Done' "$scratch/log" || true
    rm -rf "$scratch"
  else
    mkdir -p "$BUILD/corpus/$name" "$BUILD/artifacts"
    echo "fuzz: $name for ${seconds}s (corpus build-fuzz/corpus/$name)"
    "$binary" "${common[@]}" -max_total_time="$seconds" -artifact_prefix="$BUILD/artifacts/$name-" \
      "$BUILD/corpus/$name" "${seeds[@]}"
  fi
}

failed=()
for name in "${targets[@]}"; do
  run_target "${name%_fuzz}" || failed+=("$name")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]} (fuzz/README.md: turning a crash into a regression test)" >&2
  exit 1
fi
echo "fuzz: ${targets[*]}: no crash"
