#!/usr/bin/env bash
# A throwaway or local PostgreSQL 15 cluster for tests and development.
#
#   scripts/pg.sh with CMD...   start a new cluster in a temporary folder, run CMD with
#                               TUODI_TEST_POSTGRES_URL set, stop and delete the cluster on every
#                               exit path (success, failure, Ctrl-C); exit with CMD's status.
#   scripts/pg.sh up DIR        start (creating if needed) a persistent cluster in DIR with a
#                               database `tuodi`; print its DATABASE_URL.
#   scripts/pg.sh down DIR      stop the cluster in DIR.
#
# The cluster listens on a unix socket inside its folder only (no TCP port to collide with).
# It does not wait for the disk (fsync=off, synchronous_commit=off), which tests need not pay for;
# PG_DURABLE=1 keeps PostgreSQL's defaults instead, as a deployment has them: the benchmarks
# compare against it, as SQLite's write connection waits for the disk on every commit.
# initdb refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PG_BIN/initdb" ] || { echo "pg.sh: PostgreSQL server binaries not found (set PG_BIN)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

make_dir() {
  if [ "$(id -u)" = 0 ]; then install -d -o postgres -g postgres -m 700 "$1"; else install -d -m 700 "$1"; fi
}

start() {
  local dir=$1
  if [ ! -f "$dir/PG_VERSION" ]; then
    make_dir "$dir"
    # Case folding as on a deployed UTF-8 cluster (C.UTF-8), text order by code point (C).
    as_pg "$PG_BIN/initdb" -D "$dir" -U postgres -A trust -E UTF8 --lc-collate=C --lc-ctype=C.UTF-8 --lc-messages=C --lc-monetary=C --lc-numeric=C --lc-time=C --no-sync >"$dir.initdb.log" 2>&1 \
      || { cat "$dir.initdb.log" >&2; exit 1; }
    rm -f "$dir.initdb.log"
  fi
  local options="-k $dir -c listen_addresses='' -c max_connections=200"
  [ "${PG_DURABLE:-0}" = 1 ] || options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  as_pg "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 -o "$options" start >/dev/null
}

stop() {
  local dir=$1
  local pid=""
  if [ -f "$dir/postmaster.pid" ]; then
    pid=$(head -n 1 "$dir/postmaster.pid")
    as_pg "$PG_BIN/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null || true
  fi
  # pg_ctl returns once the pid file is gone; the postmaster may still be exiting.
  if [ -n "$pid" ]; then
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
}

url_for() { echo "postgres://postgres@localhost/$2?host=$1"; }

case "${1:-}" in
  with)
    shift
    dir=$(mktemp -d /tmp/tuodi-pg.XXXXXX)
    rmdir "$dir"
    cleanup() { stop "$dir"; rm -rf "$dir"; }
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    start "$dir"
    echo "pg.sh: throwaway PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on socket $dir" >&2
    status=0
    TUODI_TEST_POSTGRES_URL=$(url_for "$dir" postgres) "$@" || status=$?
    exit $status
    ;;
  up)
    dir=$(realpath -m "${2:?usage: pg.sh up DIR}")
    start "$dir"
    as_pg "$PG_BIN/psql" -h "$dir" -U postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'tuodi'" postgres | grep -q 1 \
      || as_pg "$PG_BIN/createdb" -h "$dir" -U postgres tuodi
    echo "PostgreSQL is up. Use: DATABASE_URL='$(url_for "$dir" tuodi)'"
    ;;
  down)
    stop "$(realpath -m "${2:?usage: pg.sh down DIR}")"
    ;;
  *)
    echo "usage: pg.sh with CMD... | up DIR | down DIR" >&2
    exit 2
    ;;
esac
