#!/usr/bin/env bash
# Sets everything up, then runs the app in development (rebuilds and reloads on every
# change). Open http://localhost:3000 rather than http://127.0.0.1:3000: browsers refuse
# passkeys on an IP-address origin.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
echo "leptos-auth: open http://localhost:3000 (passkeys need a name, not 127.0.0.1)"
exec cargo leptos watch
