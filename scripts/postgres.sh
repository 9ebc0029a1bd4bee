# A PostgreSQL server for the tests. Sourced by test.sh (and bench.sh): when
# TEST_DATABASE_URL already names a server, it is used as it is; otherwise Debian's
# `postgresql` is installed if missing and a throw-away cluster is started under
# target/postgres, owned by an unprivileged user, listening on 127.0.0.1 only.
# Exports TEST_DATABASE_URL (an admin URL: tests create one database each) and defines
# `stop_test_postgres`.

_pg_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/postgres"
_pg_started=""

_pg_log() { printf '\033[1;34m[postgres]\033[0m %s\n' "$*"; }
_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_test_postgres() {
  if [ -n "$_pg_started" ]; then
    _pg_as_owner "$_pg_bin/pg_ctl" -D "$_pg_root/data" -m fast stop >/dev/null 2>&1 || true
    _pg_started=""
  fi
}

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  _pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$_pg_bin" ]; then
    _pg_log "installing Debian's postgresql"
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
    fi
    _pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
  _pg_port=$((30000 + RANDOM % 20000))
  # A cluster from an earlier run that was not stopped: stop it, then start afresh.
  if [ -f "$_pg_root/data/postmaster.pid" ]; then
    _pg_as_owner "$_pg_bin/pg_ctl" -D "$_pg_root/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$_pg_root"
  mkdir -p "$_pg_root/socket"
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$_pg_root"; fi
  _pg_as_owner "$_pg_bin/initdb" -D "$_pg_root/data" -U postgres --auth=trust -E UTF8 \
    --no-sync >"$_pg_root/initdb.log" 2>&1
  _pg_as_owner "$_pg_bin/pg_ctl" -D "$_pg_root/data" -l "$_pg_root/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $_pg_port -k $_pg_root/socket -c fsync=off \
        -c max_connections=300" start >/dev/null
  _pg_started=1
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$_pg_port/postgres"
  _pg_log "throw-away cluster on 127.0.0.1:$_pg_port (target/postgres)"
fi
