#!/usr/bin/env bash
# `make bench`: the benchmark suite (issue 4 fills it in).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "make bench: no benchmarks yet"
