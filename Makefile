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

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release

build: setup $(BUILD)/build.ninja
	ninja -C $(BUILD)

# Builds, creates the demo town if there is no database yet, and serves it.
run: build
	@if [ ! -e "$(DB)" ]; then ./$(BUILD)/dangjian --db "$(DB)" demo; \
	else echo "Using the existing database $(DB) (remove it for a fresh demo town; demo password Demo2026)"; fi
	@echo "Open http://127.0.0.1:$(PORT)/ and log in, e.g. as chenji (支部书记) or zuzhi (镇党委) with password Demo2026."
	./$(BUILD)/dangjian --db "$(DB)" serve --port $(PORT)

# The test build runs with AddressSanitizer and UndefinedBehaviorSanitizer.
$(TEST_BUILD)/build.ninja:
	meson setup $(TEST_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

test: setup $(TEST_BUILD)/build.ninja
	ninja -C $(TEST_BUILD)
	bash scripts/test.sh $(TEST_BUILD)

unit: setup $(TEST_BUILD)/build.ninja
	ninja -C $(TEST_BUILD)
	meson test -C $(TEST_BUILD) --print-errorlogs

fuzz: setup
	bash scripts/fuzz.sh 300

bench: build
	bash bench/run.sh

clean:
	rm -rf $(BUILD) $(TEST_BUILD) build-fuzz
