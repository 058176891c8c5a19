#!/usr/bin/env bash
# What the benchmark scripts share: a private PostgreSQL cluster (initdb here; fsync, synchronous commit and full-page
# writes off; CHECKPOINT + sync + a pause before each timed run) and the timing helpers. A script sets PORT (and PAUSE
# if it wants), sources this file, and calls start_cluster NAME; the cluster and any service in SERVICE are stopped
# when the script exits.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
export PATH="$PGBIN:$PATH"
PAUSE=${PAUSE:-${BENCH_PAUSE:-1}}
SERVICE=

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_cluster() {
  PGDATA=$(mktemp -d "/tmp/mellon-bench-$1-XXXXXX")
  [ "$(id -u)" != 0 ] || chown postgres "$PGDATA"
  as_postgres "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres >/dev/null
  as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -o "-p $PORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_locks_per_transaction=1024 -c max_connections=200" start >/dev/null
  PG=postgresql://postgres@127.0.0.1:$PORT/postgres
  DB=postgresql://postgres@127.0.0.1:$PORT
  trap stop_cluster EXIT
}

stop_cluster() {
  [ -z "$SERVICE" ] || kill "$SERVICE" 2>/dev/null || true
  as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGDATA"
}

ms() { date +%s%N; }
settle() { psql "$PG" -X -q -c CHECKPOINT >/dev/null; sync; sleep "$PAUSE"; }
fresh() { PGOPTIONS='-c client_min_messages=warning' psql "$PG" -X -q -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
minmax() { printf '%s\n' "$@" | sort -n | awk 'NR==1{lo=$1} {hi=$1} END {print lo "–" hi}'; }
json_number() { grep -o "\"$1\":[0-9]*" "$2" | head -1 | cut -d: -f2; }
