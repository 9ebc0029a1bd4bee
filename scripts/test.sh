#!/usr/bin/env bash
# Sets everything up, then runs every check and test: formatting, clippy on both sides (it
# also type-checks the examples for both features; the server side is linted while the tests
# build), the Rust tests of the library and of the
# demo (on PostgreSQL, and the demo's again on SQLite), the release build (with size report),
# the library as a crate (rustdoc without warnings, `cargo package`), the single-binary
# test, two instances on one database, and the Playwright suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --browser
# A throw-away PostgreSQL cluster (unless TEST_DATABASE_URL names a server), stopped at exit.
source scripts/postgres.sh
trap stop_test_postgres EXIT

# Each step's start, and at the end how long each took (README › The two commands keeps the
# figures).
started=$SECONDS
timings=()
last_step=""
last_start=$SECONDS
step() {
  [ -n "$last_step" ] && timings+=("$(printf '%5ds  %s' $((SECONDS - last_start)) "$last_step")")
  last_step="$*"
  last_start=$SECONDS
  printf '\n\033[1;34m==> %s\033[0m (at %ds)\n' "$*" $((SECONDS - started))
}
report_timings() {
  step "done"
  printf '\nstep times:\n'
  printf '%s\n' "${timings[@]}"
  printf '%5ds  in all\n' $((SECONDS - started))
}

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (client): library, demo, examples"
# The test harness (crates/test-util) is server-only.
cargo clippy --workspace --exclude leptos-auth-test-util --lib --features hydrate \
  --target wasm32-unknown-unknown -- -D warnings

step "Rust tests (library and demo) on PostgreSQL, linted by clippy as they build"
# Clippy lints the server side while the tests compile, instead of in a `cargo clippy` of its
# own: that checked the whole dependency tree once more only to throw the result away (about
# 100 s). This is what `cargo clippy` itself does, with `cargo test` in place of `cargo
# check`: clippy-driver wraps rustc for the workspace's crates, CLIPPY_ARGS carries
# `-D warnings` (arguments end with `__CLIPPY_HACKERY__`, clippy's separator). --all-targets
# lints and builds every target clippy's `--all-targets` did, the ones with `test = false`
# included; doc tests run on their own since --all-targets leaves them out. The wrapper is
# part of the build's fingerprint, so it stays set until the test binaries are all run.
export RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
export CLIPPY_ARGS="-Dwarnings__CLIPPY_HACKERY__"
# CLIPPY_ARGS is clippy's own, undocumented interface: make sure it still turns a lint into
# an error before a green build is trusted.
probe="$(mktemp -d)"
printf 'fn main() {\n    let v = vec![1u8];\n    if v.len() == 0 {}\n}\n' >"$probe/probe.rs"
probe_output="$(CARGO_PRIMARY_PACKAGE=1 "$RUSTC_WORKSPACE_WRAPPER" rustc --edition 2024 \
  "$probe/probe.rs" --out-dir "$probe" 2>&1 || true)"
rm -rf "$probe"
if ! grep -q 'clippy::len-zero` implied by `-D warnings`' <<<"$probe_output"; then
  printf 'clippy-driver did not deny a lint with CLIPPY_ARGS=%s:\n%s\n' "$CLIPPY_ARGS" "$probe_output"
  exit 1
fi
# The integration tests mostly wait on servers (maildev, PostgreSQL, the OpenID provider,
# expiry windows), not on the cores: four at a time finish the suites in two thirds of the
# time of two. The binaries that measure (timing) or flood hold one test each.
export RUST_TEST_THREADS=4
cargo test --workspace --all-targets --features ssr
cargo test --workspace --features ssr --doc

step "the demo's integration tests again, on SQLite"
# The binaries the step above built, run again: `cargo test -p leptos-auth-demo` would build
# the demo a second time (its features differ from the whole workspace's).
demo_tests="$(cargo test --workspace --features ssr --no-run --message-format=json 2>/dev/null |
  python3 -c '
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    target = message.get("target", {})
    if (message.get("executable") and "leptos-auth-demo" in message.get("package_id", "")
            and target.get("kind") == ["test"]):
        print(message["executable"])
')"
[ -n "$demo_tests" ] || { echo "no test binaries of the demo found"; exit 1; }
for binary in $demo_tests; do
  echo "$(basename "$binary")"
  TEST_DATABASE_URL= "$binary" --quiet
done

# Everything after this is built by plain rustc: the release binary is what ships.
unset RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS

step "the library as a crate: rustdoc without warnings, cargo package"
RUSTDOCFLAGS="-D warnings" cargo doc -p leptos-auth --no-deps --features ssr,sqlite,postgres
# --no-verify: verifying would build the packaged crate and its whole dependency tree once
# more in a target of its own; the tests above build the same code.
cargo package -p leptos-auth --no-verify --allow-dirty --quiet
# The stores' migrations and the passkey scripts are part of it.
packaged="$(cargo package -p leptos-auth --list --allow-dirty)"
for needed in migrations/sqlite/ migrations/postgres/ assets/passkey-core.js; do
  grep -q "^$needed" <<<"$packaged" || { echo "the package lacks $needed"; exit 1; }
done

step "release build"
cargo leptos build --release --precompress

step "sizes"
scripts/sizes.sh

step "single binary from an empty folder"
scripts/test-single-binary.sh

step "two instances, one PostgreSQL database"
python3 scripts/test-two-instances.py

step "browser tests (Playwright, Chromium)"
scripts/e2e.sh

report_timings
