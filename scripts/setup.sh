# Installs everything leptos-auth needs to build (with --browser, to run browser tests; with
# --bench, to run the benchmarks).
# Sourced by dev.sh and test.sh: it also puts the npm-installed tools on PATH.
# Idempotent: each step is skipped when its tool is already present at the right version.

CARGO_LEPTOS_VERSION=0.3.10

_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

_log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

_as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  _log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# OpenSSL's headers and pkg-config: webauthn-rs (passkeys) verifies signatures with OpenSSL.
if ! pkg-config --exists openssl 2>/dev/null; then
  _log "installing Debian's libssl-dev and pkg-config"
  _as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -qq libssl-dev pkg-config
fi

if ! cargo leptos --version 2>/dev/null | grep -q " ${CARGO_LEPTOS_VERSION}\$"; then
  _log "installing cargo-leptos ${CARGO_LEPTOS_VERSION} (about 13 minutes, once)"
  # Its release profile asks for fat LTO in one codegen unit: 25 minutes on two cores. Thin
  # codegen units without LTO build it in 13 (measured); it only orchestrates builds.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --version "${CARGO_LEPTOS_VERSION}" --locked --features no_downloads
fi

# The CLI must match the wasm-bindgen crate in Cargo.lock exactly. No --locked: its own lock
# file pins a crate version the registry no longer serves.
_wasm_bindgen_version="$(grep -A1 '^name = "wasm-bindgen"$' "${_repo_root}/Cargo.lock" | sed -n 's/^version = "\(.*\)"$/\1/p')"
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${_wasm_bindgen_version}\$"; then
  _log "installing wasm-bindgen-cli ${_wasm_bindgen_version} (about 2 minutes, once)"
  cargo install wasm-bindgen-cli --version "${_wasm_bindgen_version}"
fi

# npm packages: Playwright and binaryen's wasm-opt (Debian's binaryen breaks hydration).
if [ ! -f "${_repo_root}/end2end/node_modules/.package-lock.json" ] \
  || [ "${_repo_root}/end2end/package-lock.json" -nt "${_repo_root}/end2end/node_modules/.package-lock.json" ]; then
  _log "installing npm packages in end2end/"
  (cd "${_repo_root}/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
export PATH="${_repo_root}/end2end/node_modules/.bin:${PATH}"

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  _log "installing Debian's chromium"
  _as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -qq chromium
fi

# Benchmarks: wrk from Debian, and the NextAuth peer app (npm ci + next build, when needed).
if [ "${1:-}" = "--bench" ]; then
  if ! command -v wrk >/dev/null; then
    _log "installing Debian's wrk"
    _as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -qq wrk
  fi
  "${_repo_root}/benchmarks/nextauth/setup.sh"
fi
