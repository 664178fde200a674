#!/usr/bin/env bash
# Installs the Debian packages pnode-analytics needs to build, test and benchmark.
# Does nothing (and needs no root) when every package is already installed.
set -euo pipefail

packages=(
  g++ cmake ninja-build make pkg-config git ccache mold
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsimdjson-dev libsqlite3-dev sqlite3 libpq-dev postgresql-15 zlib1g-dev libssl-dev libxxhash-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
  wrk curl python3 dpkg-dev
  libnats-dev nats-server
  libloc-dev libloc-database
  chromium fonts-liberation fonts-dejavu-core fonts-noto-color-emoji
  libcurl4-openssl-dev python3-aiosmtpd
  haproxy
  iproute2
)
# The dashboard is built with npm; its toolchain runs on Debian 12's own nodejs 18.19 as
# well as on newer Node (web/README.md). Machines without node or npm get Debian's.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
