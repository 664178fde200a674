# The README's commands. Everything real lives in CMake and scripts/.
PORT ?= 8080
BUILD_DIR := build

.PHONY: all deps configure build web test web-test run bench clean

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

test: build
	@ctest --preset default
	@$(MAKE) --no-print-directory web-test

# Browser end-to-end tests: headless Chromium against the simulator + server.
web-test: web
	@cd web && npm test

run: build
	@PORT=$(PORT) WEB_ROOT=$${WEB_ROOT:-$(CURDIR)/web/dist} scripts/run.sh

bench: build
	@scripts/bench.sh

clean:
	rm -rf $(BUILD_DIR) web/dist
