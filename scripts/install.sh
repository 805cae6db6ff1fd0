#!/usr/bin/env bash
# Idempotent installer for everything stsplay's build and tests need.
#
# Skips what is already present, installs what is missing:
#   - the wasm32-unknown-unknown Rust target (rustup)
#   - trunk 0.21.14 (cargo install; 0.22 needs a newer rustc)
#   - wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock
#   - Debian's chromium + chromium-driver (apt) for browser tests
#   - node_modules (npm ci): binaryen's wasm-opt and playwright-core
#   - the crates in Cargo.lock (cargo fetch), so trunk can build offline
# and, with --bench (`make bench` only, never `make test`):
#   - twiggy (cargo install), for the wasm size breakdown
#   - perf (Debian's linux-perf), for the native profile; optional: without it
#     `make bench` falls back to valgrind's callgrind, or skips the profile
#
# Works unattended (CI=true, no stdin). Run from anywhere; it cd's to the repo root.
set -euo pipefail

BENCH=0
for arg in "$@"; do
    case "$arg" in
        --bench) BENCH=1 ;;
        *) printf '[install] unknown argument: %s (usage: install.sh [--bench])\n' "$arg" >&2; exit 2 ;;
    esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"
TWIGGY_VERSION="0.8.0"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Trunk's CLI rejects NO_COLOR values other than true/false (e.g. the common NO_COLOR=1).
if [ -n "${NO_COLOR:-}" ]; then export NO_COLOR=true; fi
export TRUNK_SKIP_VERSION_CHECK=true

say() { printf '[install] %s\n' "$*"; }
die() { printf '[install] ERROR: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo not found (need the rustup toolchain in \$HOME/.cargo/bin)"
command -v rustup >/dev/null || die "rustup not found"
command -v npm >/dev/null || die "npm not found (need Node.js >= 20 with npm)"

# --- wasm32 target ------------------------------------------------------------
if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
    say "rust target wasm32-unknown-unknown: present"
else
    say "rust target wasm32-unknown-unknown: installing"
    rustup target add wasm32-unknown-unknown
fi

# --- trunk --------------------------------------------------------------------
have_trunk="$(trunk --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have_trunk" = "$TRUNK_VERSION" ]; then
    say "trunk $TRUNK_VERSION: present"
else
    say "trunk $TRUNK_VERSION: installing (found: ${have_trunk:-none}; takes several minutes)"
    cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# --- wasm-bindgen-cli (version must equal the wasm-bindgen crate in Cargo.lock) -
[ -f Cargo.lock ] || die "Cargo.lock missing at $ROOT"
WB_VERSION="$(awk '
    $0 == "name = \"wasm-bindgen\"" { found = 1; next }
    found && /^version = / { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)"
[ -n "$WB_VERSION" ] || die "could not read the wasm-bindgen version from Cargo.lock"
have_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
have_wbtr="$(command -v wasm-bindgen-test-runner || true)"
if [ "$have_wb" = "$WB_VERSION" ] && [ -n "$have_wbtr" ]; then
    say "wasm-bindgen-cli $WB_VERSION: present"
else
    say "wasm-bindgen-cli $WB_VERSION: installing (found: ${have_wb:-none}; takes a few minutes)"
    # Not --locked: the CLI's own lockfile pins a crate version the registry lacks.
    cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# --- chromium + chromedriver (Debian packages) ---------------------------------
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    say "chromium + chromium-driver: present"
else
    say "chromium + chromium-driver: installing (apt)"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "need root or sudo to apt-get install chromium"
        SUDO="sudo -n"
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        chromium chromium-driver </dev/null
fi

# --- node_modules (binaryen's wasm-opt, playwright-core) -----------------------
# Stale when package.json or package-lock.json changed since the last install:
# a stamp with their hash is kept inside node_modules/.
STAMP="node_modules/.stsplay-install-stamp"
[ -f package.json ] || die "package.json missing at $ROOT"
lock_hash() { cat package.json package-lock.json 2>/dev/null | sha256sum | awk '{print $1}' || true; }
want_stamp="$(lock_hash)"
if [ -d node_modules ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_stamp" ]; then
    say "node_modules: present"
else
    if [ -f package-lock.json ]; then
        say "node_modules: installing (npm ci)"
        npm ci --no-audit --no-fund </dev/null
    else
        say "node_modules: installing (npm install, no package-lock.json)"
        npm install --no-audit --no-fund </dev/null
        want_stamp="$(lock_hash)"
    fi
    printf '%s\n' "$want_stamp" > "$STAMP"
fi
case "$(wasm-opt --version 2>/dev/null || true)" in
    *"version 132"*) ;;
    *) die "wasm-opt on PATH is not binaryen 132 from node_modules: $(command -v wasm-opt || echo none)";;
esac

# --- crates --------------------------------------------------------------------
say "cargo fetch: running"
cargo fetch --quiet
say "cargo fetch: done"

# --- bench-only tools (make bench) ----------------------------------------------
if [ "$BENCH" = 1 ]; then
    have_twiggy="$(twiggy --version 2>/dev/null | awk '{print $2}' || true)"
    if [ "$have_twiggy" = "$TWIGGY_VERSION" ]; then
        say "twiggy $TWIGGY_VERSION: present"
    else
        say "twiggy $TWIGGY_VERSION: installing (found: ${have_twiggy:-none}; takes a few minutes)"
        cargo install twiggy --version "$TWIGGY_VERSION" --locked --force
    fi
    if command -v perf >/dev/null && perf --version >/dev/null 2>&1; then
        say "perf: present"
    else
        SUDO=""
        if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo -n"; fi
        say "perf: installing linux-perf (apt; optional, the profile falls back to valgrind)"
        { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q \
            && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends linux-perf; } \
            </dev/null || say "perf: could not install linux-perf; going on without it"
    fi
fi
say "all tools ready"
