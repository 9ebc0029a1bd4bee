#!/usr/bin/env bash
# Prints the size of the release client (raw, gzip, brotli) and of the server binary, and
# fails when the whole client goes over its budget.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_BROTLI=$((250 * 1024))
pkg=target/site/pkg
name=leptos-auth
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
size() { stat -c %s "$1"; }
total_br=0
printf '%-22s %12s %12s %12s\n' file raw gzip brotli
for ext in wasm js css; do
  f="$pkg/$name.$ext"
  raw=$(size "$f"); gz=$(size "$f.gz"); br=$(size "$f.br")
  total_br=$((total_br + br))
  printf '%-22s %12s %12s %12s\n' "$name.$ext" "$(kib "$raw")" "$(kib "$gz")" "$(kib "$br")"
done
printf 'whole client, brotli: %s (budget %s)\n' "$(kib $total_br)" "$(kib $BUDGET_BROTLI)"
printf 'server binary: %s\n' "$(kib "$(size target/release/$name)")"
if [ "$total_br" -gt "$BUDGET_BROTLI" ]; then
  echo "the client is over its size budget" >&2
  exit 1
fi
