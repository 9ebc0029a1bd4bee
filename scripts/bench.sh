#!/usr/bin/env bash
# Benchmarks of the release binary, side by side with a NextAuth v4 peer app
# (benchmarks/nextauth: Next.js in production mode) measured the same way in the same run.
# Writes BENCHMARKS.md (tables, ratios, targets) and the raw wrk output to
# benchmarks/results/. Not part of the test command: timings on a shared machine are noisy,
# so each figure is the median of several rounds (after a warm-up), with the spread.
#
#   scripts/bench.sh           3 rounds of 10 s per scenario
#   scripts/bench.sh --quick   1 round of 3 s (smoke run)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=3
DURATION=10
WARMUP=2
if [ "${1:-}" = "--quick" ]; then
  ROUNDS=1
  DURATION=3
  WARMUP=1
fi
CONNECTIONS=50
FLOOD_CONNECTIONS=16
EMAIL=bench@example.com
PASSWORD="a benchmark password"

source scripts/setup.sh --bench

echo "[bench] building the release binary"
cargo leptos build --release --precompress >/dev/null 2>&1

out=benchmarks/results
rm -rf "$out" && mkdir -p "$out"
work=target/bench
rm -rf "$work" && mkdir -p "$work"
export AUTH_SECRET="benchmark-secret-that-is-long-enough-0123456789"
export RUST_LOG=error
# The load comes from one address: per-IP limits would refuse the load generator itself.
export AUTH_RATE_LIMITS=off
source scripts/postgres.sh
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}
trap 'stop_server; stop_test_postgres' EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }
kib_of() { awk -v f="$2" '$1 == f":" { print $2 }' "/proc/$1/status"; }
# wait_for URL: polls every 10 ms (at most 30 s); prints the milliseconds it took.
wait_for() {
  local start i
  start=$(now_ms)
  for i in $(seq 1 3000); do
    if curl -fs -o /dev/null "$1" 2>/dev/null; then
      echo $(($(now_ms) - start))
      return
    fi
    sleep 0.01
  done
  echo "[bench] $1 did not answer within 30 s" >&2
  exit 1
}
# sign_in_with_curl BASE JAR: the csrf dance and a credentials sign-in; sets csrf and
# cookie_header (every cookie of the jar, as a browser would send them).
sign_in_with_curl() {
  local base=$1 jar=$2
  csrf=$(curl -fs -c "$jar" "$base/api/auth/csrf" | sed -n 's/.*"csrfToken":"\([^"]*\)".*/\1/p')
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrfToken=$csrf" \
    --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
    "$base/api/auth/callback/credentials"
  # curl marks HttpOnly cookies with a "#HttpOnly_" prefix, not as comments.
  cookie_header=$(awk '(!/^#/ || /^#HttpOnly_/) && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$jar")
  if ! curl -fs -H "Cookie: $cookie_header" "$base/api/auth/session" | grep -q "$EMAIL"; then
    echo "[bench] could not sign in at $base" >&2
    exit 1
  fi
}

# start_leptos LABEL STRATEGY DATABASE_URL: a fresh server with one user, signed in; sets
# base, csrf, cookie_header, cold_ms (start to first answered request) and idle_kib.
start_leptos() {
  local label=$1 strategy=$2 database_url=$3
  stop_server
  local data="$work/$label"
  mkdir -p "$data"
  local port=$((20000 + RANDOM % 20000))
  base="http://127.0.0.1:$port"
  # The site's public URL; PUBLIC_HOST=localhost for passkeys (not on an IP address).
  public_base="http://${PUBLIC_HOST:-127.0.0.1}:$port"
  export AUTH_URL="$public_base" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_AUTH_DATA_DIR="$data"
  export AUTH_SESSION_STRATEGY="$strategy" DATABASE_URL="$database_url"
  echo "$PASSWORD" | target/release/leptos-auth user add \
    --email "$EMAIL" --name Bench --password-stdin >/dev/null
  target/release/leptos-auth >"$data/server.log" 2>&1 &
  server_pid=$!
  cold_ms=$(wait_for "$base/api/auth/csrf")
  sign_in_with_curl "$base" "$data/cookies.txt"
  idle_kib=$(kib_of "$server_pid" VmRSS)
}

# start_nextauth: the peer app (built beforehand by setup.sh --bench), signed in; sets the
# same variables as start_leptos.
start_nextauth() {
  stop_server
  local port=$((20000 + RANDOM % 20000))
  base="http://127.0.0.1:$port"
  benchmarks/nextauth/start.sh "$port" >"$work/nextauth.log" 2>&1 &
  server_pid=$!
  cold_ms=$(wait_for "$base/api/auth/csrf")
  sign_in_with_curl "$base" "$work/nextauth-cookies.txt"
  idle_kib=$(kib_of "$server_pid" VmRSS)
}

fresh_postgres_database() {
  local name="leptos_auth_bench_$1"
  PGOPTIONS=--client-min-messages=warning psql "$TEST_DATABASE_URL" -q \
    -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  echo "${TEST_DATABASE_URL%/*}/$name"
}

cat >"$work/sign-in.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "csrfToken=" .. os.getenv("BENCH_CSRF") ..
  "&email=bench%40example.com&password=a+benchmark+password"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
LUA

# req/s of one wrk run.
rate() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
# 99th percentile latency of one wrk run in ms.
p99_ms() {
  awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
    else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
    printf "%.2f", v }' "$1"
}
# Non-2xx/3xx answers of one wrk run (0 when none).
errors() { sed -n 's/^  Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$1" | awk '{ s += $1 } END { print s + 0 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f", v[int((NR + 1) / 2)] }'; }
median2() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }'; }
spread() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f–%.0f", v[1], v[NR] }'; }

# sample_rss: the server's resident memory every 0.2 s (KiB), into $work/rss-samples, until
# killed. The peak of these samples is its memory under load (VmHWM would also count the
# one-off argon2 buffer of the benchmark's own sign-in).
sample_rss() {
  while kill -0 "$server_pid" 2>/dev/null; do
    kib_of "$server_pid" VmRSS >>"$work/rss-samples"
    sleep 0.2
  done
}

# Results: one line per figure, "key value", in $work/results.
record() { echo "$1 $2" >>"$work/results"; }
get() { awk -v k="$1" '$1 == k { print $2 }' "$work/results" | tail -1; }
get_text() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$work/results" | tail -1; }

# measure KEY PATH [COOKIE]: a warm-up, then ROUNDS wrk runs at CONNECTIONS; records
# KEY.rps (median), KEY.spread, KEY.p99 (median ms) and KEY.errors.
measure() {
  local key=$1 path=$2 cookie=${3:-} rates="" p99s="" errs=0 round
  local header=()
  [ -n "$cookie" ] && header=(-H "Cookie: $cookie")
  echo "[bench] $key: $path"
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "${header[@]}" "$base$path" >/dev/null
  for round in $(seq 1 "$ROUNDS"); do
    local f="$out/$key-$round.txt"
    sample_rss &
    local sampler=$!
    wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${header[@]}" "$base$path" >"$f"
    kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
    rates+="$(rate "$f")"$'\n'
    p99s+="$(p99_ms "$f")"$'\n'
    errs=$((errs + $(errors "$f")))
  done
  record "$key.rps" "$(printf '%s' "$rates" | median)"
  record "$key.spread" "$(printf '%s' "$rates" | spread)"
  record "$key.p99" "$(printf '%s' "$p99s" | median2)"
  record "$key.errors" "$errs"
}

# flood KEY: sign-ins alone, then session reads while FLOOD_CONNECTIONS flood sign-ins;
# records KEY.signins (sign-ins/s alone), KEY.flood_signins and KEY.flooded_reads.
flood() {
  local key=$1 alone="" during="" reads="" round
  echo "[bench] $key: credentials sign-ins, alone and during session reads"
  for round in $(seq 1 "$ROUNDS"); do
    BENCH_CSRF="$csrf" BENCH_COOKIE="$cookie_header" wrk -t1 -c"$FLOOD_CONNECTIONS" \
      -d"${DURATION}s" -s "$work/sign-in.lua" "$base/api/auth/callback/credentials" \
      >"$out/$key-signins-$round.txt"
    alone+="$(rate "$out/$key-signins-$round.txt")"$'\n'
    BENCH_CSRF="$csrf" BENCH_COOKIE="$cookie_header" wrk -t1 -c"$FLOOD_CONNECTIONS" \
      -d"$((DURATION + 2))s" -s "$work/sign-in.lua" "$base/api/auth/callback/credentials" \
      >"$out/$key-flood-signins-$round.txt" &
    local flood_pid=$!
    sleep 1
    wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $cookie_header" \
      "$base/api/auth/session" >"$out/$key-flood-session-$round.txt"
    wait $flood_pid
    during+="$(rate "$out/$key-flood-signins-$round.txt")"$'\n'
    reads+="$(rate "$out/$key-flood-session-$round.txt")"$'\n'
  done
  record "$key.signins" "$(printf '%s' "$alone" | median)"
  record "$key.flood_signins" "$(printf '%s' "$during" | median)"
  record "$key.flooded_reads" "$(printf '%s' "$reads" | median)"
  record "$key.flooded_spread" "$(printf '%s' "$reads" | spread)"
}

# The full scenario list for one server (KEY leptos or nextauth).
scenarios() {
  local key=$1
  record "$key.cold_ms" "$cold_ms"
  record "$key.idle_mib" "$((idle_kib / 1024))"
  : >"$work/rss-samples"
  [ "$key" = leptos ] && measure "$key.healthz" /healthz
  measure "$key.session_in" /api/auth/session "$cookie_header"
  measure "$key.session_out" /api/auth/session
  measure "$key.csrf" /api/auth/csrf
  measure "$key.dashboard" /dashboard "$cookie_header"
  measure "$key.static" /favicon.svg
  record "$key.load_mib" "$(($(sort -n "$work/rss-samples" | tail -1) / 1024))"
  flood "$key"
  record "$key.peak_mib" "$(($(kib_of "$server_pid" VmHWM) / 1024))"
}

: >"$work/results"
start_leptos leptos jwt "sqlite://$work/leptos/db.sqlite"
scenarios leptos
start_nextauth
scenarios nextauth
stop_server

# The other session strategies and databases of leptos-auth (signed-in reads only).
start_leptos database-sqlite database "sqlite://$work/database-sqlite/db.sqlite"
measure database-sqlite.session_in /api/auth/session "$cookie_header"
start_leptos jwt-postgres jwt "$(fresh_postgres_database jwt)"
measure jwt-postgres.session_in /api/auth/session "$cookie_header"
start_leptos database-postgres database "$(fresh_postgres_database database)"
measure database-postgres.session_in /api/auth/session "$cookie_header"

# Passkey sign-ins next to password sign-ins, by one client (crates/test-util's passkey-bench:
# each sign-in is a new browser: GET /csrf, then options, assertion and answer, or the form).
echo "[bench] passkey and password sign-ins"
cargo build --release -p leptos-auth-test-util --bin passkey-bench >/dev/null 2>&1
PUBLIC_HOST=localhost start_leptos passkeys jwt "sqlite://$work/passkeys/db.sqlite"
target/release/passkey-bench "$public_base" "$EMAIL" "$PASSWORD" "$DURATION" \
  "$FLOOD_CONNECTIONS" >"$out/passkey-signins.txt"
while read -r key value; do record "$key" "$value"; done <"$out/passkey-signins.txt"
stop_server
cp "$work/results" "$out/results.txt"

# ---- the report -----------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "n/a" }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b; else print "n/a" }'; }
check() { # check NAME OK(1/0) DETAIL
  local verdict=FAIL
  [ "$2" = 1 ] && verdict=PASS
  echo "[bench] $verdict  $1 ($3)"
  echo "| $verdict | $1 | $3 |" >>"$work/targets.md"
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b) ? 1 : 0 }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? 1 : 0 }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? 1 : 0 }'; }
times() { awk -v a="$1" -v b="$2" 'BEGIN { print a * b }'; }

L_session=$(get leptos.session_in.rps); N_session=$(get nextauth.session_in.rps)
L_dashboard=$(get leptos.dashboard.rps); N_dashboard=$(get nextauth.dashboard.rps)
L_healthz=$(get leptos.healthz.rps)
L_p99=$(get leptos.session_in.p99)
L_load=$(get leptos.load_mib); N_load=$(get nextauth.load_mib)
L_flooded=$(get leptos.flooded_reads)
: >"$work/targets.md"
check "session reads ≥ 50× NextAuth" "$(ge "$L_session" "$(times "$N_session" 50)")" \
  "$L_session vs $N_session req/s: $(ratio "$L_session" "$N_session")"
check "session reads ≥ 70 % of /healthz" "$(ge "$L_session" "$(times "$L_healthz" 0.7)")" \
  "$L_session vs $L_healthz req/s: $(pct "$L_session" "$L_healthz")"
check "session reads p99 < 5 ms at $CONNECTIONS connections" "$(lt "$L_p99" 5)" "$L_p99 ms"
check "/dashboard SSR ≥ 50× NextAuth" "$(ge "$L_dashboard" "$(times "$N_dashboard" 50)")" \
  "$L_dashboard vs $N_dashboard req/s: $(ratio "$L_dashboard" "$N_dashboard")"
check "server RSS under load ≤ 1/10 of NextAuth's" "$(le "$(times "$L_load" 10)" "$N_load")" \
  "$L_load vs $N_load MiB: 1/$(ratio "$N_load" "$L_load" | tr -d '×')"
check "session reads keep ≥ 80 % of their rate while sign-ins flood" \
  "$(ge "$L_flooded" "$(times "$L_session" 0.8)")" \
  "$L_flooded of $L_session req/s: $(pct "$L_flooded" "$L_session")"

row() { # row LABEL KEY: one scenario of both servers
  local l n
  l=$(get "leptos.$2.rps"); n=$(get "nextauth.$2.rps")
  echo "| $1 | $l ($(get "leptos.$2.spread")) | $(get "leptos.$2.p99") ms | $n ($(get "nextauth.$2.spread")) | $(get "nextauth.$2.p99") ms | **$(ratio "$l" "$n")** |"
}
strategy_row() {
  echo "| $1 | $(get "$2.session_in.rps") ($(get "$2.session_in.spread")) | $(get "$2.session_in.p99") ms |"
}
client_br=$(stat -c %s target/site/pkg/leptos-auth.wasm.br target/site/pkg/leptos-auth.js.br target/site/pkg/leptos-auth.css.br | awk '{ s += $1 } END { printf "%.1f", s / 1024 }')
binary_mib=$(stat -c %s target/release/leptos-auth | awk '{ printf "%.1f", $1 / 1048576 }')
next_version=$(node -p 'require("./benchmarks/nextauth/node_modules/next/package.json").version')
nextauth_version=$(node -p 'require("./benchmarks/nextauth/node_modules/next-auth/package.json").version')

cat >BENCHMARKS.md <<EOF
# Benchmarks

Written by \`scripts/bench.sh\`$([ "$ROUNDS" = 1 ] && echo " --quick") on $(date -u +"%Y-%m-%d %H:%M UTC").

**Machine**: $(nproc) cores ($(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr).
Server and load generator run on the same machine and share its cores (not pinned).

**leptos-auth**: the release binary (\`target/release/leptos-auth\`, $(rustc --version | cut -d' ' -f1-2)), \`jwt\`
sessions on SQLite unless said otherwise, argon2id at 19 MiB / 2 passes, \`AUTH_RATE_LIMITS=off\`.
**NextAuth**: \`benchmarks/nextauth\`, Next.js $next_version with next-auth $nextauth_version in production mode
(\`next start\`, Node $(node --version)), JWT sessions, credentials with bcrypt cost 10, the same
session fields (\`id\`, \`numberKey\`). **Load**: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), one thread, $CONNECTIONS connections,
a ${WARMUP} s warm-up, then $ROUNDS round(s) of ${DURATION} s; each figure is the median with the spread
(min–max) in parentheses. Raw wrk output: \`benchmarks/results/\`.

## Targets

| | target | measured |
|---|---|---|
$(cat "$work/targets.md")

## Side by side

| scenario | leptos-auth req/s | p99 | NextAuth req/s | p99 | ratio |
|---|---|---|---|---|---|
$(row "\`GET /api/auth/session\`, signed in" session_in)
$(row "\`GET /api/auth/session\`, signed out" session_out)
$(row "\`GET /api/auth/csrf\`" csrf)
$(row "\`GET /dashboard\` (SSR), signed in" dashboard)
$(row "a static file (\`/favicon.svg\`, 264 bytes)" static)
| \`/healthz\` (the ceiling of the same binary) | $(get leptos.healthz.rps) ($(get leptos.healthz.spread)) | $(get leptos.healthz.p99) ms | | | |

| | leptos-auth | NextAuth | ratio |
|---|---|---|---|
| credentials sign-ins/s, $FLOOD_CONNECTIONS connections | $(get leptos.signins) | $(get nextauth.signins) | $(ratio "$(get leptos.signins)" "$(get nextauth.signins)") |
| session reads/s while $FLOOD_CONNECTIONS connections flood sign-ins | $(get leptos.flooded_reads) ($(get leptos.flooded_spread)), $(pct "$(get leptos.flooded_reads)" "$L_session") kept | $(get nextauth.flooded_reads) ($(get nextauth.flooded_spread)), $(pct "$(get nextauth.flooded_reads)" "$N_session") kept | |
| sign-ins/s during that flood | $(get leptos.flood_signins) | $(get nextauth.flood_signins) | |
| RSS idle (after start and one sign-in) | $(get leptos.idle_mib) MiB | $(get nextauth.idle_mib) MiB | 1/$(ratio "$(get nextauth.idle_mib)" "$(get leptos.idle_mib)" | tr -d '×') |
| RSS under read load (peak of samples every 0.2 s) | $L_load MiB | $N_load MiB | 1/$(ratio "$N_load" "$L_load" | tr -d '×') |
| peak RSS of the whole run (VmHWM, with the sign-in flood) | $(get leptos.peak_mib) MiB | $(get nextauth.peak_mib) MiB | |
| cold start to the first answered request | $(get leptos.cold_ms) ms | $(get nextauth.cold_ms) ms | |
| size | server binary $binary_mib MiB (site embedded), client $client_br KiB brotli | | |

Sign-ins compare different password hashes: argon2id (19 MiB, 2 passes, on at most half the
cores) against bcrypt cost 10 in JavaScript.

| leptos-auth, one client, $FLOOD_CONNECTIONS connections, a new browser per sign-in | sign-ins/s | median |
|---|---|---|
| with a passkey (\`GET /csrf\`, options, ES256 assertion, answer) | $(get passkey.signins) | $(get passkey.median_ms) ms |
| with the password (\`GET /csrf\`, the credentials form) | $(get password.signins) | $(get password.median_ms) ms |

A passkey sign-in costs two requests and a signature check instead of an argon2id hash.

## leptos-auth: session strategies and databases

| \`GET /api/auth/session\`, signed in | req/s | p99 |
|---|---|---|
$(strategy_row "\`jwt\`, SQLite" leptos)
$(strategy_row "\`database\`, SQLite" database-sqlite)
$(strategy_row "\`jwt\`, PostgreSQL" jwt-postgres)
$(strategy_row "\`database\`, PostgreSQL" database-postgres)
EOF
if [ -f benchmarks/NOTES.md ]; then
  { echo; cat benchmarks/NOTES.md; } >>BENCHMARKS.md
fi
echo "[bench] wrote BENCHMARKS.md"
