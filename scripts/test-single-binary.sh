#!/usr/bin/env bash
# Proves the release binary is self-contained: copied alone into an empty folder and started
# there, it serves the page, the JS glue and the WASM (with the right types and encodings).
set -euo pipefail
cd "$(dirname "$0")/.."
port=3199
base="http://127.0.0.1:$port"
dir="$(mktemp -d)"
cp target/release/leptos-auth "$dir/"
secret="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
(cd "$dir" && AUTH_SECRET="$secret" AUTH_URL="$base" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn exec ./leptos-auth) &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT

passed=0 failed=0
check() { # description, command...
  local what="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "  ok   $what"; else failed=$((failed + 1)); echo "  FAIL $what"; fi
}

for _ in $(seq 1 100); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

page="$(curl -fsS "$base/")"
check "home page is rendered by the server" grep -q 'data-testid="session-status"' <<<"$page"
js="$(grep -o 'href="[^"]*leptos-auth\.js"' <<<"$page" | head -1 | sed 's/^href="//; s/"$//')"
wasm="$(grep -o 'href="[^"]*leptos-auth\.wasm"' <<<"$page" | head -1 | sed 's/^href="//; s/"$//')"
check "page links versioned JS and WASM" test -n "$js" -a -n "$wasm"
headers() { curl -fsS -o /dev/null -D - "$@" | tr -d '\r' | tr 'A-Z' 'a-z'; }
check "JS is served as JavaScript" grep -q '^content-type: text/javascript' <<<"$(headers "$base$js")"
wasm_headers="$(headers "$base$wasm")"
check "WASM is served as application/wasm" grep -q '^content-type: application/wasm' <<<"$wasm_headers"
check "versioned WASM may be cached for a year" grep -q '^cache-control: public, max-age=31536000, immutable' <<<"$wasm_headers"
check "WASM is a WebAssembly module" test "$(curl -sS "$base$wasm" 2>/dev/null | head -c 4 | od -An -tx1 | tr -d ' ')" = 0061736d
check "brotli WASM for a client that accepts it" grep -q '^content-encoding: br' <<<"$(headers -H 'Accept-Encoding: br, gzip' "$base$wasm")"
check "CSS is served" grep -q '^content-type: text/css' <<<"$(headers "$base/pkg/leptos-auth.css")"
status="$(curl -sS -o "$dir/404.html" -w '%{http_code}' "$base/no/such/page")"
check "unknown path answers 404" test "$status" = 404
check "unknown path shows the Leptos 404 page" grep -q 'Page not found' "$dir/404.html"
check "the embedded SQLite database was created in ./data" test -f "$dir/data/leptos-auth.db"

echo "single binary: $passed passed, $failed failed"
test "$failed" = 0
