#!/usr/bin/env bash
# Starts a private PostgreSQL server on loopback for the stub's PostgreSQL store (tests, the cluster and
# bench:cluster), or reuses the one already answering. It is this project's own cluster in its own
# directory and port, so a developer's PostgreSQL (usually on 5432) is left alone.
#
#   scripts/start-postgres.sh                 start (or reuse); exit 0 once it accepts connections
#   scripts/start-postgres.sh --new-database  the same, then create an empty database and print its URL
#   scripts/start-postgres.sh --database NAME the same for database NAME, created only if missing (kept)
#   scripts/start-postgres.sh --drop-database NAME  drop database NAME, closing its sessions (tests, benches)
#   scripts/start-postgres.sh --url           print the server's admin URL (database "postgres")
#   scripts/start-postgres.sh --stop          stop it
#
# Everything listens on 127.0.0.1:${SIGNOFF_PG_PORT:-55432} only; role signoff, password signoff (a throwaway
# server for development: never expose it). Durability settings stay PostgreSQL's defaults (fsync on,
# synchronous_commit on), because the stub's promise — an acknowledged action survives a crash — is
# what the tests check. Works as root without systemd (CI containers): the server then runs as the
# `postgres` user the Debian package creates, since PostgreSQL refuses to run as root.
set -euo pipefail

PORT=${SIGNOFF_PG_PORT:-55432}
DATA=${SIGNOFF_PG_DATA:-/tmp/signoff-postgres/data}
SOCKETS=$(dirname "$DATA")/sockets
ROLE=signoff
PASSWORD=signoff
WAIT_SECONDS=${SIGNOFF_PG_WAIT_SECONDS:-60}
ADMIN_URL="postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/postgres"

say() { echo "start-postgres: $*" >&2; }

bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" ]] && echo "$dir" # the newest version sorts last and wins
  done | tail -n 1
}
BIN=$(bin_dir)
if [[ -z "$BIN" ]]; then
  say "PostgreSQL is not installed (scripts/install-system-packages.sh installs it)"
  exit 1
fi

# Runs a server command as the user that owns the data directory (root cannot run PostgreSQL).
as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ready() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 1; }

case "${1:-}" in
  --stop)
    if [[ -f "$DATA/postmaster.pid" ]]; then
      as_owner "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null && say "stopped"
    else
      say "not running"
    fi
    exit 0
    ;;
  --url)
    echo "$ADMIN_URL"
    exit 0
    ;;
  '' | --new-database) ;;
  --database | --drop-database)
    if [[ ! "${2:-}" =~ ^[a-z_][a-z0-9_]*$ ]]; then
      echo "usage: $0 $1 NAME (lower-case letters, digits, _)" >&2
      exit 2
    fi
    ;;
  *)
    echo "usage: $0 [--new-database | --database NAME | --drop-database NAME | --url | --stop]" >&2
    exit 2
    ;;
esac

if ready; then
  : # reuse it
else
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    say "creating a cluster in $DATA"
    mkdir -p "$DATA" "$SOCKETS"
    pwfile=$(mktemp)
    printf '%s\n' "$PASSWORD" >"$pwfile"
    if [[ $(id -u) == 0 ]]; then
      chown -R postgres:postgres "$(dirname "$DATA")"
      chown postgres "$pwfile"
    fi
    # Collation C: ids and cursors sort byte-wise, exactly as in SQLite, so keyset paging agrees.
    as_owner "$BIN/initdb" -D "$DATA" -U "$ROLE" --pwfile="$pwfile" --auth-local=trust \
      --auth-host=scram-sha-256 --encoding=UTF8 --locale=C >/dev/null
    rm -f "$pwfile"
  fi
  say "starting PostgreSQL ($("$BIN/postgres" --version | awk '{print $3}')) on 127.0.0.1:$PORT"
  # Many throwaway test databases and two stub nodes plus tools: 200 connections are plenty.
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$(dirname "$DATA")/server.log" -w -t "$WAIT_SECONDS" start \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCKETS -c max_connections=200" >/dev/null
  if ! ready; then
    say "PostgreSQL did not accept connections; see $(dirname "$DATA")/server.log"
    exit 1
  fi
fi

admin_sql() {
  PGPASSWORD=$PASSWORD "$BIN/psql" -qAt -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d postgres -v ON_ERROR_STOP=1 -c "$1"
}
# Collation C, as in the cluster: ids and cursors sort byte-wise, exactly as in SQLite.
create_database() {
  admin_sql "CREATE DATABASE $1 TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" >/dev/null
}

if [[ "${1:-}" == --new-database ]]; then
  # Nanoseconds and this script's pid: test workers create databases many times a second.
  name="signoff_$(date +%s%N)_$$"
  create_database "$name"
  echo "postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$name"
elif [[ "${1:-}" == --drop-database ]]; then
  # FORCE: a stub that was SIGKILLed, or has not let go yet, must not keep it alive.
  admin_sql "DROP DATABASE IF EXISTS $2 WITH (FORCE)" >/dev/null
elif [[ "${1:-}" == --database ]]; then
  [[ -n "$(admin_sql "SELECT 1 FROM pg_database WHERE datname = '$2'")" ]] || create_database "$2"
  echo "postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$2"
else
  say "accepting connections: $ADMIN_URL"
fi
