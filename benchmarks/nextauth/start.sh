#!/usr/bin/env bash
# start.sh PORT: builds the next-auth peer app if needed, then runs it in production mode on
# 127.0.0.1:PORT (in the foreground; exec'd, so this script's PID becomes the server's).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
port=${1:?usage: start.sh PORT}

./setup.sh

export NEXT_TELEMETRY_DISABLED=1
export NODE_ENV=production
export NEXTAUTH_URL=${NEXTAUTH_URL:-http://127.0.0.1:$port}
export NEXTAUTH_SECRET=${NEXTAUTH_SECRET:-leptos-auth-benchmark-secret-not-for-production-use-0123456789}
exec ./node_modules/.bin/next start -H 127.0.0.1 -p "$port"
