#!/usr/bin/env bash
# Runs the Playwright suite against the release binary and ends with "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../end2end"
results="$(mktemp)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$results" npx playwright test --reporter=list,json
status=$?
node -e '
  const stats = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).stats;
  console.log(`${stats.expected + stats.flaky} passed, ${stats.unexpected} failed`);
' "$results" || echo "0 passed, 1 failed"
rm -f "$results"
exit $status
