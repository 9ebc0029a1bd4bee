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
cargo leptos build --release --precompress >/dev/null

out=target/bench
rm -rf "$out" && mkdir -p "$out/data"
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
export AUTH_SECRET="benchmark-secret-that-is-long-enough-0123456789"
export AUTH_URL="$base" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_AUTH_DATA_DIR="$out/data"
export RUST_LOG=error
# The load comes from one address: per-IP limits would refuse the load generator itself.
export AUTH_RATE_LIMITS=off

echo 'a benchmark password' | target/release/leptos-auth user add \
  --email bench@example.com --name Bench --password-stdin >/dev/null
target/release/leptos-auth >"$out/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

# A signed-in browser: CSRF cookie and token, then the session cookie.
jar="$out/cookies.txt"
csrf=$(curl -fs -c "$jar" "$base/api/auth/csrf" | sed -n 's/.*"csrfToken":"\([^"]*\)".*/\1/p')
curl -fs -b "$jar" -c "$jar" -o /dev/null \
  --data-urlencode "csrfToken=$csrf" --data-urlencode "email=bench@example.com" \
  --data-urlencode "password=a benchmark password" "$base/api/auth/callback/credentials"
cookie_header=$(awk '!/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$jar")
if ! curl -fs -H "Cookie: $cookie_header" "$base/api/auth/session" | grep -q bench@example.com; then
  echo "[bench] could not sign in" >&2
  exit 1
fi

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
# median and spread (min–max) of numbers on stdin.
summary() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f (%.0f–%.0f)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

sessions="" flooded="" signins="" latencies=""
for round in $(seq 1 "$ROUNDS"); do
  echo "[bench] round $round/$ROUNDS: session reads"
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $cookie_header" \
    "$base/api/auth/session" >"$out/session-$round.txt"
  sessions+="$(rate "$out/session-$round.txt")"$'\n'
  latencies+="$(p99 "$out/session-$round.txt") "

  echo "[bench] round $round/$ROUNDS: session reads during a sign-in flood"
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

session_rate=$(printf '%s' "$sessions" | summary)
flood_rate=$(printf '%s' "$flooded" | summary)
signin_rate=$(printf '%s' "$signins" | summary)
kept=$(printf '%s\n%s' "$(printf '%s' "$sessions" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')" \
  "$(printf '%s' "$flooded" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')" |
  awk 'NR == 1 { base = $1 } NR == 2 { printf "%.0f", 100 * $1 / base }')

cat >BENCHMARKS.md <<EOF
# Benchmarks

Written by \`scripts/bench.sh\`$([ "$ROUNDS" = 1 ] && echo " --quick") on $(date -u +%Y-%m-%d), on this machine:
$(nproc) cores ($(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo),
$(uname -sr). Server: the release binary (\`target/release/leptos-auth\`, SQLite, JWT sessions,
argon2id at 19 MiB / 2 passes, \`AUTH_RATE_LIMITS=off\`); load: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)
on the same machine (server and load generator share the cores). Each figure is the median of
$ROUNDS round(s) of ${DURATION} s, with the spread (min–max) in parentheses.

| scenario | result |
|---|---|
| \`GET /api/auth/session\`, signed in, $CONNECTIONS connections | $session_rate req/s, p99 per round: $latencies|
| the same while $FLOOD_CONNECTIONS connections flood credentials sign-ins | $flood_rate req/s ($kept % kept) |
| credentials sign-ins per second during that flood | $signin_rate |
| peak server RSS over the whole run | $((peak_rss_kib / 1024)) MiB |

Raw wrk output: \`target/bench/\`.
EOF
echo "[bench] wrote BENCHMARKS.md"
cat BENCHMARKS.md
