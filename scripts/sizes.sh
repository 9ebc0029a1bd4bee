#!/usr/bin/env bash
# Prints the size of the release client (raw, gzip, brotli), what pages with passkey controls
# load on top of it, and the size of the server binary; fails when any first page load goes
# over the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_BROTLI=$((250 * 1024))
pkg=target/site/pkg
name=leptos-auth
assets=crates/leptos-auth/assets
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
size() { stat -c %s "$1"; }
# The passkey scripts as the auth router serves them (with the words of their language in
# front; fetched in English), from the release binary started for a moment in an empty
# folder.
port=3198
dir="$(mktemp -d)"
cp "target/release/$name" "$dir/"
(cd "$dir" && AUTH_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" \
  AUTH_URL="http://127.0.0.1:$port" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=error \
  exec "./$name") &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
served() {
  curl -fsS -H 'Accept-Language: en' "http://127.0.0.1:$port/api/auth/$1"
}
brotli_size() {
  node -e 'const z = require("zlib"); let b = [];
    process.stdin.on("data", (d) => b.push(d)).on("end", () =>
      console.log(z.brotliCompressSync(Buffer.concat(b)).length));'
}
total_br=0
printf '%-22s %12s %12s %12s\n' file raw gzip brotli
for ext in wasm js css; do
  f="$pkg/$name.$ext"
  raw=$(size "$f"); gz=$(size "$f.gz"); br=$(size "$f.br")
  total_br=$((total_br + br))
  printf '%-22s %12s %12s %12s\n' "$name.$ext" "$(kib "$raw")" "$(kib "$gz")" "$(kib "$br")"
done
script() { # script NAME: prints its row, sets $script_br
  script_br=$(served "$1" | brotli_size)
  printf '%-22s %12s %12s %12s\n' "$1" "$(kib "$(served "$1" | wc -c)")" "" "$(kib "$script_br")"
}
script passkey-sign-in.js; sign_in_br=$script_br
script passkey-manager.js; manager_br=$script_br
over=0
page() { # page LABEL BYTES
  printf 'first load, brotli, %-36s %s (budget %s)\n' "$1:" "$(kib "$2")" "$(kib $BUDGET_BROTLI)"
  if [ "$2" -gt "$BUDGET_BROTLI" ]; then over=1; fi
}
page "any page" "$total_br"
page "/sign-in, /sign-up (passkey sign-in)" $((total_br + sign_in_br))
page "/settings (passkey manager)" $((total_br + manager_br))
printf 'server binary: %s\n' "$(kib "$(size target/release/$name)")"
if [ "$over" = 1 ]; then
  echo "a first page load is over the client's size budget" >&2
  exit 1
fi
