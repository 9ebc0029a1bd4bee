#!/usr/bin/env bash
# Benchmarks of the release binary on this machine, written to BENCHMARKS.md (and raw wrk
# output to target/bench/). Not part of the test command: timings on a shared machine are
# noisy, so each figure is the median of several rounds, with the spread.
#
#   scripts/bench.sh           3 rounds of 10 s per scenario
#   scripts/bench.sh --quick   1 round of 3 s (smoke run)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=3
DURATION=10
if [ "${1:-}" = "--quick" ]; then
  ROUNDS=1
  DURATION=3
fi
CONNECTIONS=50
FLOOD_CONNECTIONS=16

source scripts/setup.sh
if ! command -v wrk >/dev/null; then
  echo "[bench] installing wrk"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk
  else sudo apt-get update -qq && sudo apt-get install -y -qq wrk; fi
fi

echo "[bench] building the release binary"
cargo leptos build --release --precompress >/dev/null 2>&1

out=target/bench
rm -rf "$out" && mkdir -p "$out"
export AUTH_SECRET="benchmark-secret-that-is-long-enough-0123456789"
export RUST_LOG=error
# The load comes from one address: per-IP limits would refuse the load generator itself.
export AUTH_RATE_LIMITS=off
source scripts/postgres.sh
trap 'stop_server; stop_test_postgres' EXIT

server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}

# start_server LABEL STRATEGY DATABASE_URL: a fresh server with one user, signed in; sets
# base, csrf and cookie_header.
start_server() {
  local label=$1 strategy=$2 database_url=$3
  stop_server
  local data="$out/$label"
  mkdir -p "$data"
  local port=$((20000 + RANDOM % 20000))
  base="http://127.0.0.1:$port"
  export AUTH_URL="$base" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_AUTH_DATA_DIR="$data"
  export AUTH_SESSION_STRATEGY="$strategy" DATABASE_URL="$database_url"
  echo 'a benchmark password' | target/release/leptos-auth user add \
    --email bench@example.com --name Bench --password-stdin >/dev/null
  target/release/leptos-auth >"$data/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  local jar="$data/cookies.txt"
  csrf=$(curl -fs -c "$jar" "$base/api/auth/csrf" | sed -n 's/.*"csrfToken":"\([^"]*\)".*/\1/p')
  curl -fs -b "$jar" -c "$jar" -o /dev/null \
    --data-urlencode "csrfToken=$csrf" --data-urlencode "email=bench@example.com" \
    --data-urlencode "password=a benchmark password" "$base/api/auth/callback/credentials"
  # curl marks HttpOnly cookies with a "#HttpOnly_" prefix, not as comments.
  cookie_header=$(awk '(!/^#/ || /^#HttpOnly_/) && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$jar")
  if ! curl -fs -H "Cookie: $cookie_header" "$base/api/auth/session" | grep -q bench@example.com; then
    echo "[bench] $label: could not sign in" >&2
    exit 1
  fi
}

fresh_postgres_database() {
  local name="leptos_auth_bench_$1"
  PGOPTIONS=--client-min-messages=warning psql "$TEST_DATABASE_URL" -q \
    -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  echo "${TEST_DATABASE_URL%/*}/$name"
}

cat >"$out/sign-in.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "csrfToken=" .. os.getenv("BENCH_CSRF") ..
  "&email=bench%40example.com&password=a+benchmark+password"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
LUA

# req/s of one wrk run.
rate() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
# 99th percentile latency of one wrk run, as printed (e.g. 2.31ms).
p99() { awk '$1 == "99%" { print $2 }' "$1"; }
# median of numbers on stdin.
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f", v[int((NR + 1) / 2)] }'; }
# median and spread (min–max) of numbers on stdin.
summary() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f (%.0f–%.0f)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

# session_rounds LABEL: wrk rounds of signed-in session reads; appends "label|rate|p99s".
session_rows=""
session_rounds() {
  local label=$1 rates="" p99s=""
  for round in $(seq 1 "$ROUNDS"); do
    echo "[bench] $label: session reads, round $round/$ROUNDS"
    wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $cookie_header" \
      "$base/api/auth/session" >"$out/$label-session-$round.txt"
    rates+="$(rate "$out/$label-session-$round.txt")"$'\n'
    p99s+="$(p99 "$out/$label-session-$round.txt") "
  done
  session_rows+="$label|$(printf '%s' "$rates" | summary)|$p99s|$(printf '%s' "$rates" | median)"$'\n'
}

start_server jwt-sqlite jwt "sqlite://$out/jwt-sqlite/db.sqlite"
session_rounds jwt-sqlite
jwt_median=$(printf '%s' "$session_rows" | tail -1 | cut -d'|' -f4)

flooded="" signins=""
for round in $(seq 1 "$ROUNDS"); do
  echo "[bench] jwt-sqlite: session reads during a sign-in flood, round $round/$ROUNDS"
  BENCH_CSRF="$csrf" BENCH_COOKIE="$cookie_header" wrk -t1 -c"$FLOOD_CONNECTIONS" \
    -d"$((DURATION + 2))s" -s "$out/sign-in.lua" "$base/api/auth/callback/credentials" \
    >"$out/flood-signins-$round.txt" &
  flood_pid=$!
  sleep 1
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $cookie_header" \
    "$base/api/auth/session" >"$out/flood-session-$round.txt"
  wait $flood_pid
  flooded+="$(rate "$out/flood-session-$round.txt")"$'\n'
  signins+="$(rate "$out/flood-signins-$round.txt")"$'\n'
done
peak_rss_kib=$(awk '/^VmHWM/ { print $2 }' "/proc/$server_pid/status")

start_server database-sqlite database "sqlite://$out/database-sqlite/db.sqlite"
session_rounds database-sqlite
database_median=$(printf '%s' "$session_rows" | tail -1 | cut -d'|' -f4)
start_server jwt-postgres jwt "$(fresh_postgres_database jwt)"
session_rounds jwt-postgres
start_server database-postgres database "$(fresh_postgres_database database)"
session_rounds database-postgres
stop_server

flood_rate=$(printf '%s' "$flooded" | summary)
signin_rate=$(printf '%s' "$signins" | summary)
kept=$(awk -v base="$jwt_median" -v now="$(printf '%s' "$flooded" | median)" 'BEGIN { printf "%.0f", 100 * now / base }')
database_share=$(awk -v jwt="$jwt_median" -v db="$database_median" 'BEGIN { printf "%.0f", 100 * db / jwt }')
session_table=$(printf '%s' "$session_rows" | awk -F'|' '{ printf "| `GET /api/auth/session`, signed in, %s | %s req/s | %s|\n", $1, $2, $3 }')
cat >BENCHMARKS.md <<EOF
# Benchmarks

Written by \`scripts/bench.sh\`$([ "$ROUNDS" = 1 ] && echo " --quick") on $(date -u +%Y-%m-%d), on this machine:
$(nproc) cores ($(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo),
$(uname -sr). Server: the release binary (\`target/release/leptos-auth\`; \`jwt\` or \`database\` sessions on
SQLite or on a local PostgreSQL $(ls -d /usr/lib/postgresql/*/ 2>/dev/null | sort -V | tail -1 | xargs basename 2>/dev/null);
argon2id at 19 MiB / 2 passes, \`AUTH_RATE_LIMITS=off\`); load: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)
on the same machine (server and load generator share the cores). Each figure is the median of
$ROUNDS round(s) of ${DURATION} s, with the spread (min–max) in parentheses.

| scenario | req/s (median, spread) | p99 per round |
|---|---|---|
$session_table

The \`database\` strategy on SQLite reaches $database_share % of the \`jwt\` strategy's rate (target: at least 50 %).

| scenario | result |
|---|---|
| \`GET /api/auth/session\` (jwt, SQLite) while $FLOOD_CONNECTIONS connections flood credentials sign-ins | $flood_rate req/s ($kept % of the rate without the flood) |
| credentials sign-ins per second during that flood | $signin_rate |
| peak server RSS over the jwt-sqlite run | $((peak_rss_kib / 1024)) MiB |

Raw wrk output: \`target/bench/\`.
EOF
echo "[bench] wrote BENCHMARKS.md"
cat BENCHMARKS.md
