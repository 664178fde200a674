# The README's commands. Everything real lives in CMake and scripts/.
PORT ?= 8080
BUILD_DIR := build

.PHONY: all deps configure build test run bench clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@[ -f $(BUILD_DIR)/build.ninja ] || cmake --preset default

build: configure
	@cmake --build --preset default

test: build
	@ctest --preset default

run: build
	@PORT=$(PORT) scripts/run.sh

bench: build
	@scripts/bench.sh

clean:
	rm -rf $(BUILD_DIR)
