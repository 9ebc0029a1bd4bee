#!/usr/bin/env bash
# Sets everything up, then runs every check and test: formatting, clippy (which also
# type-checks examples/minimal for both features), the Rust tests of the library and of the
# demo, the release build (with size report), the single-binary test and the Playwright suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --browser

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (server): library, demo, examples/minimal"
cargo clippy --workspace --all-targets --features ssr -- -D warnings

step "clippy (client): library, demo, examples/minimal"
cargo clippy --workspace --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "Rust unit, integration and doc tests (library and demo)"
cargo test --workspace --features ssr

step "release build"
cargo leptos build --release --precompress

step "sizes"
scripts/sizes.sh

step "single binary from an empty folder"
scripts/test-single-binary.sh

step "browser tests (Playwright, Chromium)"
scripts/e2e.sh
