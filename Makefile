# The README's commands. Everything real lives in CMake and scripts/.
PORT ?= 8080
BUILD_DIR := build
FUZZ_SECONDS ?= 60

.PHONY: all deps configure build web test check-engines web-test run bench deb docs clean fuzz fuzz-build run-cluster

# The dashboard: npm ci only when package-lock.json (or package.json) is newer than the
# installed tree, then a Vite build into web/dist whenever a source changed.
WEB_SRC := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json
WEB_STAMP := web/node_modules/.package-lock.json

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@[ -f $(BUILD_DIR)/build.ninja ] || cmake --preset default

build: configure web
	@cmake --build --preset default

web: deps web/dist/index.html

$(WEB_STAMP): web/package-lock.json web/package.json
	@cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/index.html: $(WEB_STAMP) $(WEB_SRC)
	@cd web && npm run build

# The fuzz targets are built first, outside ctest, so its smoke run (fuzz_smoke) only runs them.
test: check-engines build fuzz-build
	@ctest --preset default
	@$(MAKE) --no-print-directory web-test

# Every locked dashboard package must run on Debian 12's own nodejs (18.19).
check-engines: deps
	@node web/tests/check-engines.mjs

# Browser end-to-end tests: headless Chromium against the simulator + server.
web-test: web
	@cd web && npm test

run: build
	@PORT=$(PORT) WEB_ROOT=$${WEB_ROOT:-$(CURDIR)/web/dist} scripts/run.sh

# Three instances on a throwaway PostgreSQL behind HAProxy, on loopback (README "Running
# several instances"); the balancer listens on PORT.
run-cluster: build
	@PORT=$(PORT) WEB_ROOT=$${WEB_ROOT:-$(CURDIR)/web/dist} scripts/run-cluster.sh

bench: build
	@scripts/bench.sh

# docs/API.md's route reference, generated from the API description (src/api/openapi.json);
# make test fails when the committed docs/API.md is out of date.
docs:
	@python3 scripts/gen_api_docs.py

# The Debian package: build/pnode-analytics_<version>_amd64.deb (binary, dashboard, unit, config).
deb: build
	@cd $(BUILD_DIR) && cpack -G DEB
	@ls -1 $(BUILD_DIR)/pnode-analytics_*_amd64.deb

# The libFuzzer targets (fuzz/README.md): each runs FUZZ_SECONDS (default 60) in build-fuzz,
# a clang build of its own; a crashing input lands in build-fuzz/artifacts.
fuzz: deps
	@scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-build: deps
	@scripts/fuzz.sh --build-only

clean:
	rm -rf $(BUILD_DIR) build-fuzz web/dist
