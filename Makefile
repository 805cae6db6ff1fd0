# stsplay build and test entry points.
#
# Why Make: GNU Make is present on every machine of this kind (developers' and
# CI's alike), needs nothing installed first, and every step here is a plain
# shell command; the targets just name those commands and their order.
#
#   make install         install/verify toolchain, browser, node_modules, crates
#   make serve           dev server on http://127.0.0.1:8080/ (trunk serve)
#   make test            everything below, in this order:
#     make lint            cargo fmt --check and clippy -D warnings on the workspace (web crate included)
#     make test-native     core, CLI and web-crate unit tests on the host
#     make test-wasm-core  stsplay-core tests on wasm32, in Node (wasm-bindgen-test-runner)
#     make test-wasm-web   stsplay-web tests in headless Chromium via chromedriver
#     make build-release   trunk build --release -> dist/ (relocatable static site)
#     make build-test-hooks  the same with the test-hooks feature -> target/dist-test-hooks/
#     make test-e2e        Playwright tests (node --test) against dist/ under a sub-path
#   make screenshot      docs/screenshot.png from the release build
#   make bench           every speed/size/memory figure beside its budget, and
#                        docs/performance.md (slow, ~10 min; not part of `make test`)
#   make fuzz            each cargo-fuzz target for FUZZ_SECONDS (default 600) s,
#                        one after another (fuzz/README.md; not part of `make test`)
#   make test-property-slow  the property test with 10,000 random scripts (~1 min, release)
#
# Each target runs scripts/install.sh first (once per make invocation); it only
# installs what is missing, so repeated runs are quick.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test
# Steps share target/ and dist/: never run them in parallel.
.NOTPARALLEL:

# node_modules/.bin first: trunk takes the first wasm-opt on PATH, and it must
# be binaryen 132 from npm (Debian's binaryen cannot read rustc 1.95's wasm).
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TERM_COLOR := never
export CARGO_TERM_PROGRESS_WHEN := never
# Trunk (clap) only accepts true/false for NO_COLOR, so a user's NO_COLOR=1 would
# break it; "true" means "no colour" to every other tool as well. Trunk refuses
# NO_COLOR together with TRUNK_COLOR, hence the unexport.
export NO_COLOR := true
unexport TRUNK_COLOR
# Trunk otherwise asks the crate registry for a newer release on every run.
export TRUNK_SKIP_VERSION_CHECK := true
export DEBIAN_FRONTEND := noninteractive

CHROMEDRIVER ?= /usr/bin/chromedriver
# Seconds wasm-bindgen-test-runner waits for a test binary (default 20 is tight on 2 cores).
WASM_BINDGEN_TEST_TIMEOUT ?= 180

.PHONY: install serve lint test test-native test-wasm-core test-wasm-web build-release build-test-hooks test-e2e screenshot bench fuzz test-property-slow clean

install:
	bash scripts/install.sh

serve: install
	trunk serve

# (no trailing echo: the test runner's own summary stays the last thing printed)
test: lint test-native test-wasm-core test-wasm-web build-release test-e2e

# Formatting and lints first: they are quick and their failures are the
# cheapest to fix. The web crate is in the workspace, so clippy checks it natively too.
lint: install
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

test-native: install
	cargo test --workspace

test-wasm-core: install
	WASM_BINDGEN_TEST_TIMEOUT=$(WASM_BINDGEN_TEST_TIMEOUT) \
	cargo test -p stsplay-core --target wasm32-unknown-unknown

# cargo runs test binaries (and so the runner) from the package directory, so
# point the runner at the repo-root webdriver.json explicitly.
test-wasm-web: install
	CHROMEDRIVER=$(CHROMEDRIVER) \
	WASM_BINDGEN_TEST_WEBDRIVER_JSON="$(CURDIR)/webdriver.json" \
	WASM_BINDGEN_TEST_TIMEOUT=$(WASM_BINDGEN_TEST_TIMEOUT) \
	cargo test -p stsplay-web --target wasm32-unknown-unknown

# dist/ is the site as deployed.
build-release: install
	trunk build --release

# The same app built with the `test-hooks` feature, for the end-to-end crash test only.
build-test-hooks: install
	trunk build --release --features test-hooks --dist target/dist-test-hooks

test-e2e: build-release build-test-hooks
	node --test --test-concurrency=1 tests/e2e/*.test.mjs

screenshot: build-release
	node tests/e2e/screenshot.mjs

# Builds dist/ itself (release) and installs twiggy on first use (install.sh --bench).
# Exits 0 when figures are over budget: the table marks them OVER.
bench:
	bash scripts/install.sh --bench
	node scripts/bench.mjs

# cargo-fuzz passes nightly rustc flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain take
# them. `-s none`: no AddressSanitizer (the core has no unsafe code), 5-6x the executions.
FUZZ_SECONDS ?= 600
fuzz: install
	command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2 --locked
	cd fuzz && ./seed-corpus.sh
	cd fuzz && for t in manifest_apply script_run; do \
	    RUSTC_BOOTSTRAP=1 cargo fuzz run -s none $$t -- -max_total_time=$(FUZZ_SECONDS) \
	        -dict=kubectl.dict -timeout=10 -rss_limit_mb=1024 || exit 1; \
	done

test-property-slow: install
	STSPLAY_PROPERTY_CASES=10000 cargo test --release -p stsplay-core --test property

clean:
	cargo clean
	rm -rf dist tests/e2e/results
