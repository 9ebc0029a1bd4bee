#!/usr/bin/env bash
# Installs and builds the next-auth peer app, only when needed. Idempotent: a second run with
# nothing changed does nothing. Used by start.sh, and by bench scripts before they time anything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export NEXT_TELEMETRY_DISABLED=1

log() { echo "[nextauth] $*" >&2; }

command -v node >/dev/null || { log "node is not installed"; exit 1; }
command -v npm >/dev/null || { log "npm is not installed"; exit 1; }

# Install when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  touch node_modules/.package-lock.json
fi

# Build when there is no build yet, or any source is newer than it.
needs_build=0
if [ ! -f .next/BUILD_ID ]; then
  needs_build=1
elif [ -n "$(find pages lib public next.config.* package-lock.json -newer .next/BUILD_ID -print -quit 2>/dev/null)" ]; then
  needs_build=1
fi
if [ "$needs_build" = 1 ]; then
  log "next build"
  if ! npx --no-install next build >.next-build.log 2>&1; then
    cat .next-build.log >&2
    exit 1
  fi
  rm -f .next-build.log
fi
