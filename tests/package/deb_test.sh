#!/usr/bin/env bash
# The Debian package, tested as an administrator would meet it: build it with CPack, check
# its name, control fields (Depends must cover every shared library the binary needs),
# conffiles and file list; extract it into a temporary root, start the extracted binary's
# simulator (replaying the packaged captures) and its server (finding the packaged
# dashboard by itself), and check the API and the dashboard answer; verify the systemd unit
# with systemd-analyze when it is available. Loopback only.
# Usage: deb_test.sh BUILD_DIR VERSION
set -euo pipefail

build_dir=$(realpath "$1")
version=$2
tmp=$(mktemp -d /tmp/pnode-deb-test.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

failures=0
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() {  # check DESCRIPTION COMMAND...: passes when the command succeeds
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# 1. Build the package into the temporary folder.
cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; echo "FAIL: cpack"; exit 1; }
deb="$tmp/out/pnode-analytics_${version}_amd64.deb"
[ -f "$deb" ] || { ls -l "$tmp/out"; echo "FAIL: no $deb"; exit 1; }
pass "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

# 2. Control fields.
field() { dpkg-deb -f "$deb" "$1"; }
check "Package is pnode-analytics" [ "$(field Package)" = pnode-analytics ]
check "Version is $version" [ "$(field Version)" = "$version" ]
check "Architecture is amd64" [ "$(field Architecture)" = amd64 ]
check "Maintainer is set" [ -n "$(field Maintainer)" ]
check "Description is set" [ -n "$(field Description)" ]
depends=$(field Depends)
echo "Depends: $depends"
depends_names_any() {  # true when one of the arguments is a package name in Depends
  local name
  for name in "$@"; do
    sed 's/([^)]*)//g; s/|/,/g' <<<"$depends" | tr ',' '\n' | tr -d ' ' | grep -qxF "$name" && return 0
  done
  return 1
}
# Every library the binary is linked against must come from a package named in Depends.
for lib in $(objdump -p "$build_dir/pnode-analytics" | awk '$1 == "NEEDED" { print $2 }'); do
  # (awk reads to the end: an early exit would kill ldconfig with SIGPIPE under pipefail)
  path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ && !found { print $NF; found = 1 }')
  [ -n "$path" ] || { fail "library $lib not found by ldconfig"; continue; }
  pkg=$(dpkg -S "$(realpath "$path")" 2>/dev/null | sed -n '1s/:.*//p') || pkg=
  [ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | sed -n '1s/:.*//p') || true
  if [ -z "$pkg" ]; then fail "no package owns $path ($lib)"; continue; fi
  # The package itself or a name it provides (libspdlog1.10 provides libspdlog1.10-fmt9).
  names=("$pkg" $(dpkg-query -W -f='${Provides}' "$pkg" 2>/dev/null | sed 's/([^)]*)//g; s/,/ /g'))
  check "Depends names $pkg (for $lib)" depends_names_any "${names[@]}"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -x -C "$tmp" ./conffiles ./postinst ./prerm ./postrm
check "conffiles lists the config file" grep -qx /etc/pnode-analytics/pnode-analytics.toml "$tmp/conffiles"
check "conffiles lists the environment file" grep -qx /etc/default/pnode-analytics "$tmp/conffiles"
check "maintainer scripts are executable" [ -x "$tmp/postinst" ] && [ -x "$tmp/prerm" ] && [ -x "$tmp/postrm" ]

# 3. File list.
dpkg-deb -c "$deb" | awk '{ print $NF }' >"$tmp/files"
for f in ./usr/bin/pnode-analytics ./usr/share/pnode-analytics/web/index.html \
         ./etc/pnode-analytics/pnode-analytics.toml ./etc/default/pnode-analytics \
         ./usr/lib/systemd/system/pnode-analytics.service ./usr/share/doc/pnode-analytics/README.md \
         ./usr/share/pnode-analytics/captures/get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json; do
  check "package contains $f" grep -qx "$f" "$tmp/files"
done
check "package has dashboard assets" grep -q '^./usr/share/pnode-analytics/web/assets/.*\.js$' "$tmp/files"
check "nothing outside /usr and /etc" bash -c "! grep -Ev '^\./(usr|etc)(/|$)|^\./$' '$tmp/files'"

# 4. The extracted binary.
root="$tmp/root"
dpkg-deb -x "$deb" "$root"
bin="$root/usr/bin/pnode-analytics"
check "--version prints the version" [ "$("$bin" --version)" = "pnode-analytics $version" ]

wait_for_line() {  # wait_for_line FILE REGEX SECONDS: prints the first match
  local end=$((SECONDS + $3))
  while [ $SECONDS -lt $end ]; do
    if grep -Eo "$2" "$1" 2>/dev/null | head -1 | grep .; then return 0; fi
    sleep 0.2
  done
  return 1
}

# Run from an empty folder so nothing of the repository can be found by accident.
mkdir -p "$tmp/run"
(cd "$tmp/run" && exec "$bin" sim --seeds 3 --base-port 0 >"$tmp/sim.out" 2>"$tmp/sim.err") &
pids+=($!)
ip_nodes=$(wait_for_line "$tmp/sim.out" '^IP_NODES=\S+' 20 | cut -d= -f2) ||
  { cat "$tmp/sim.err"; echo "FAIL: the extracted simulator did not start"; exit 1; }
check "the simulator replays the packaged capture" \
  grep -q "sim: replaying $root/usr/share/pnode-analytics/captures/" "$tmp/sim.err"

(cd "$tmp/run" && exec env -u WEB_ROOT IP_NODES="$ip_nodes" PORT=0 CACHE_TTL=2 \
  DATABASE_URL="sqlite://$tmp/run/db.sqlite" "$bin" serve >"$tmp/serve.out" 2>&1) &
pids+=($!)
port=$(wait_for_line "$tmp/serve.out" 'serving http://127\.0\.0\.1:[0-9]+' 20 | sed 's/.*://') ||
  { cat "$tmp/serve.out"; echo "FAIL: the extracted server did not start"; exit 1; }
base="http://127.0.0.1:$port"

pods=0
for _ in $(seq 1 60); do
  pods=$(curl -fsS "$base/pnodes?limit=1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["total_pnodes"])' 2>/dev/null || echo 0)
  [ "$pods" -gt 0 ] && break
  sleep 0.5
done
check "the API serves the replayed network ($pods pods)" [ "$pods" -gt 100 ]
check "/health answers 200" curl -fsS -o /dev/null "$base/health"
check "the server found the packaged dashboard" grep -q "$root/usr/share/pnode-analytics/web" "$tmp/serve.out"
curl -fsS -H 'Accept: text/html' "$base/" >"$tmp/index.html"
check "GET / for a browser is the packaged index.html" cmp -s "$tmp/index.html" "$root/usr/share/pnode-analytics/web/index.html"
asset=$(grep -Eo 'assets/[^"]+\.js' "$tmp/index.html" | sed -n 1p)
check "the dashboard's script $asset is served" curl -fsS -o /dev/null "$base/$asset"

# 5. The unit.
if command -v systemd-analyze >/dev/null 2>&1; then
  unit_dir="$tmp/unit"
  mkdir -p "$unit_dir"
  # Point ExecStart at the extracted binary: verify checks that it exists and is executable.
  sed "s|/usr/bin/pnode-analytics|$bin|" "$root/usr/lib/systemd/system/pnode-analytics.service" \
    >"$unit_dir/pnode-analytics.service"
  if SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$unit_dir/pnode-analytics.service" >"$tmp/verify.log" 2>&1 &&
     ! grep -q 'pnode-analytics.service' "$tmp/verify.log"; then
    pass "systemd-analyze verify accepts the unit"
  else
    cat "$tmp/verify.log"
    fail "systemd-analyze verify"
  fi
  # The hardening, as systemd scores it (0 = fully locked down, 10 = fully exposed).
  if exposure=$(systemd-analyze security --offline=yes "$unit_dir/pnode-analytics.service" 2>/dev/null |
                grep -Eo 'Overall exposure level for [^:]+: [0-9.]+' | grep -Eo '[0-9.]+$'); then
    check "systemd rates the unit's exposure $exposure (at most 2.0)" awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }'
  else
    echo "skip: systemd-analyze security --offline not supported"
  fi
else
  echo "skip: systemd-analyze not available"
fi

echo "deb_test: $failures failure(s)"
[ "$failures" -eq 0 ]
