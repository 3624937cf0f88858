# Two commands for a new user (README): `make run` and `make test`.
# Everything else is meson + ninja underneath.

DB ?= dangjian.db
PORT ?= 8080
BUILD := build
TEST_BUILD := build-test

.PHONY: all setup build run test unit e2e browser fuzz bench clean

all: build

setup:
	@bash scripts/setup.sh

build: setup
	bash scripts/build.sh $(BUILD) --buildtype=release

# Builds, creates the demo town if there is no database yet, and serves it.
run: build
	@if [ ! -e "$(DB)" ]; then ./$(BUILD)/dangjian --db "$(DB)" demo; \
	else echo "Using the existing database $(DB) (remove it for a fresh demo town; demo password Demo2026)"; fi
	@echo "Open http://127.0.0.1:$(PORT)/ and log in, e.g. as chenji (支部书记) or zuzhi (镇党委) with password Demo2026."
	./$(BUILD)/dangjian --db "$(DB)" serve --port $(PORT)

# The test build runs with AddressSanitizer and UndefinedBehaviorSanitizer.
TEST_OPTS := --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

test: setup
	bash scripts/build.sh $(TEST_BUILD) $(TEST_OPTS)
	bash scripts/test.sh $(TEST_BUILD)

unit: setup
	bash scripts/build.sh $(TEST_BUILD) $(TEST_OPTS)
	meson test -C $(TEST_BUILD) --print-errorlogs

fuzz: setup
	bash scripts/fuzz.sh 300

bench: build
	bash bench/run.sh

clean:
	rm -rf $(BUILD) $(TEST_BUILD) build-fuzz
