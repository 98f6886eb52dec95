#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the knowledge-base tests and prints
#   export VANBAN_TEST_POSTGRES_URL=postgres://...
# on standard output (everything else goes to standard error). Use:
#   eval "$(bash scripts/ci-postgres.sh)"
# Installs PostgreSQL with apt-get when initdb/pg_ctl are missing. Runs the
# server as the 'postgres' user when invoked as root (root cannot run it).
set -euo pipefail

find_bin() {
  local name=$1 p
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  for p in /usr/lib/postgresql/*/bin/"$name"; do
    [ -x "$p" ] && { echo "$p"; return 0; }
  done
  return 1
}

if ! find_bin initdb >/dev/null || ! find_bin pg_ctl >/dev/null; then
  echo "== installing postgresql" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
fi
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DIR=$(mktemp -d /tmp/vanban-pg.XXXXXX)
chmod 755 "$DIR"

run() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd -r -m postgres
    chown -R postgres "$DIR"
    su postgres -s /bin/bash -c "$*"
  else
    bash -c "$*"
  fi
}

run "'$INITDB' -D '$DIR/data' -U vanban --auth=trust -E UTF8 --locale=C.UTF-8" >&2
run "'$PG_CTL' -D '$DIR/data' -l '$DIR/log' -w -o \"-h 127.0.0.1 -p $PORT -k '$DIR'\" start" >&2
"$(find_bin createdb)" -h 127.0.0.1 -p "$PORT" -U vanban vanban_test >&2
echo "export VANBAN_TEST_POSTGRES_URL=postgres://vanban@127.0.0.1:$PORT/vanban_test"
echo "export VANBAN_TEST_POSTGRES_DIR=$DIR"
