#!/usr/bin/env bash
# scripts/scratch.sh CMD...: runs CMD with TMPDIR set to a new folder, then removes the folder
# and everything the tests left in it (SQLite databases, backups, spreadsheets, server logs),
# on every exit path; exits with CMD's status. Says how much it removed.
set -uo pipefail
dir=$(mktemp -d "${TMPDIR:-/tmp}/tuodi-test-run.XXXXXX")
chmod 755 "$dir"
cleanup() {
  local files size
  files=$(find "$dir" -type f 2>/dev/null | wc -l)
  size=$(du -sh "$dir" 2>/dev/null | cut -f1)
  rm -rf "$dir"
  echo "scratch.sh: removed the run's test files ($files files, $size)" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM
TMPDIR=$dir "$@"
