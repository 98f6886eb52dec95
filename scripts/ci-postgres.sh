#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the knowledge-base tests and prints
#   export VANBAN_TEST_POSTGRES_URL=postgres://...
#   export VANBAN_TEST_POSTGRES_DIR=/tmp/vanban-pg.XXXXXX
# on standard output (everything else goes to standard error). Use:
#   eval "$(bash scripts/ci-postgres.sh)"
#   ... tests ...
#   bash scripts/ci-postgres.sh stop      # stops it, removes its directory
# Installs PostgreSQL with apt-get when initdb/pg_ctl are missing (a fresh
# Debian machine). Runs the server as the 'postgres' user when invoked as root
# (PostgreSQL refuses to run as root), creating that user if needed. The
# server listens on 127.0.0.1 only, on a free port, trusts local connections,
# and trades durability for speed (fsync off): it is for tests only.
set -euo pipefail

find_bin() {
  local name=$1 p
  for p in /usr/lib/postgresql/*/bin/"$name"; do
    [ -x "$p" ] && { echo "$p"; return 0; }
  done
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  return 1
}

# Runs a command line as the server's user.
as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- bash -c "$1"
    else
      su postgres -s /bin/bash -c "$1"
    fi
  else
    bash -c "$1"
  fi
}

if [ "${1:-}" = stop ]; then
  DIR=${2:-${VANBAN_TEST_POSTGRES_DIR:-}}
  if [ -z "$DIR" ] || [ ! -d "$DIR/data" ]; then
    echo "ci-postgres: no server directory to stop (give it, or set VANBAN_TEST_POSTGRES_DIR)" >&2
    exit 0
  fi
  PG_CTL=$(find_bin pg_ctl)
  as_server_user "'$PG_CTL' -D '$DIR/data' -m immediate -w stop" >&2 || true
  rm -rf "$DIR"
  exit 0
fi

# `pause DIR` stops the server but keeps its data; `resume DIR` starts it
# again on the same port (the fault tests: a database that restarts).
if [ "${1:-}" = pause ] || [ "${1:-}" = resume ]; then
  DIR=${2:?give the server directory}
  PG_CTL=$(find_bin pg_ctl)
  if [ "$1" = pause ]; then
    as_server_user "'$PG_CTL' -D '$DIR/data' -m fast -w stop" >&2
  else
    OPTIONS=$(cat "$DIR/options")
    as_server_user "'$PG_CTL' -D '$DIR/data' -l '$DIR/log' -w -t 60 -o \"$OPTIONS\" start" >&2
  fi
  exit 0
fi

if ! find_bin initdb >/dev/null || ! find_bin pg_ctl >/dev/null; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ci-postgres: PostgreSQL (initdb, pg_ctl) is not installed and apt-get is not available: install the PostgreSQL server and run this again" >&2
    exit 2
  fi
  echo "== installing postgresql" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
fi
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)
PSQL=$(find_bin psql)

# A free TCP port: nothing answers on it, and no other server of this
# script holds it (a paused one keeps its port for `resume`). Ports are
# taken below the kernel's ephemeral range, so that no client socket of
# another test can hold the port PostgreSQL binds; a start that still
# finds the port taken (two scripts chose the same one) tries another.
EPHEMERAL_LOW=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
[ "$EPHEMERAL_LOW" -gt 21000 ] 2>/dev/null || EPHEMERAL_LOW=32768
port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || return 1
  ! grep -qs -- "-p $1 " /tmp/vanban-pg.*/options
}
choose_port() {
  PORT=
  for _ in $(seq 1 50); do
    candidate=$(( 20000 + RANDOM % (EPHEMERAL_LOW - 20000) ))
    if port_is_free "$candidate"; then PORT=$candidate; return 0; fi
  done
  echo "ci-postgres: found no free TCP port for PostgreSQL" >&2
  exit 2
}

DIR=$(mktemp -d /tmp/vanban-pg.XXXXXX)
chmod 755 "$DIR"
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --create-home --shell /bin/bash postgres
  chown -R postgres "$DIR"
fi

as_server_user "'$INITDB' -D '$DIR/data' -U vanban --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync" >&2
started=
for attempt in 1 2 3 4 5; do
  choose_port
  OPTIONS="-h 127.0.0.1 -p $PORT -k '$DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
  printf '%s' "$OPTIONS" > "$DIR/options"
  if as_server_user "'$PG_CTL' -D '$DIR/data' -l '$DIR/log' -w -t 60 -o \"$OPTIONS\" start" >&2; then
    started=yes
    break
  fi
  grep -q 'Address already in use' "$DIR/log" 2>/dev/null || break
  echo "ci-postgres: port $PORT was taken meanwhile (attempt $attempt); trying another" >&2
  : > "$DIR/log"
done
if [ -z "$started" ]; then
  echo "ci-postgres: the server did not start; its log:" >&2
  cat "$DIR/log" >&2 || true
  exit 2
fi
"$PSQL" -h 127.0.0.1 -p "$PORT" -U vanban -d postgres -v ON_ERROR_STOP=1 -q \
  -c "CREATE DATABASE vanban_test" >&2
echo "export VANBAN_TEST_POSTGRES_URL=postgres://vanban@127.0.0.1:$PORT/vanban_test"
echo "export VANBAN_TEST_POSTGRES_DIR=$DIR"
