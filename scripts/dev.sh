#!/usr/bin/env bash
# Sets everything up, then runs the app in development on http://127.0.0.1:3000
# (rebuilds and reloads on every change).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
exec cargo leptos watch
