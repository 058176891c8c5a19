#!/usr/bin/env bash
# Measurements that explain bench/run.sh's missed targets (not part of the table): where start-up and memory go.
#   1. start to ready, with the CPU time the process used by then (utime + stime) and Quarkus's own "started in";
#   2. a warm service with -XX:NativeMemoryTracking=summary after the run's work (apply COUNT migrations, GET
#      /migrations/pending under load, GET /schema): RSS and the JVM's committed memory by category, before and after
#      a full GC; and GET /migrations/pending from one client (its latency is the service time of one request).
# Usage: bench/diagnose.sh [migrations=1000]; writes bench/results/<date>-diagnose.txt. Same private cluster as run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-1000}
DATE=$(date -u +%Y-%m-%d)
OUT=bench/out/diagnose
PORT=55442
HTTP=18770
JAR=target/quarkus-app/quarkus-run.jar
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
export PATH="$PGBIN:$PATH"
rm -rf "$OUT" && mkdir -p "$OUT" bench/results
REPORT=bench/results/$DATE-diagnose.txt
PGDATA=$(mktemp -d /tmp/mellon-bench-diag-XXXXXX)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" != 0 ] || chown postgres "$PGDATA"
as_postgres "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -o "-p $PORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_locks_per_transaction=1024" start >/dev/null
PG=postgresql://postgres@127.0.0.1:$PORT/postgres
SERVICE=
cleanup() { [ -z "$SERVICE" ] || kill "$SERVICE" 2>/dev/null || true; as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$PGDATA"; }
trap cleanup EXIT
psql "$PG" -X -q -c "CREATE DATABASE diag" >/dev/null
java bench/GenerateFolder.java "$OUT/folder" "$COUNT" 42 >/dev/null
TOKEN=bench-token
TOKEN_HASH=sha256:$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
TICK=$(getconf CLK_TCK)
cpu_s() { awk -v t="$TICK" '{printf "%.2f", ($14 + $15) / t}' "/proc/$1/stat"; }
start() { # extra JVM options...
  DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/diag" MIGRATOR_FOLDER="$PWD/$OUT/folder" QUARKUS_HTTP_PORT=$HTTP \
    MIGRATOR_AUTH_TOKENS_BENCH_HASH="$TOKEN_HASH" MIGRATOR_AUTH_TOKENS_BENCH_ROLES=admin \
    java "$@" -jar "$JAR" > "$OUT/service.log" 2>&1 &
  SERVICE=$!
  for _ in $(seq 1 3000); do curl -fs -o /dev/null "http://127.0.0.1:$HTTP/q/health/ready" && return 0; sleep 0.01; done
  return 1
}
{
  echo "bench/diagnose.sh $COUNT ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores); load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "1. start to ready (java -jar, a settled server before each)"
  for r in 1 2 3; do
    psql "$PG" -X -q -c CHECKPOINT >/dev/null; sync; sleep 1
    t0=$(date +%s%N); start; t1=$(date +%s%N)
    echo "   start $r: ready after $(( (t1 - t0) / 1000000 )) ms, CPU used by then $(cpu_s "$SERVICE") s (user + system)," \
      "Quarkus: $(grep -o 'started in [0-9.]*s' "$OUT/service.log"), load average $(cut -d' ' -f1 /proc/loadavg)"
    kill "$SERVICE"; wait "$SERVICE" 2>/dev/null || true; SERVICE=
  done
  echo
  echo "2. memory of a warm service (-XX:NativeMemoryTracking=summary) after applying $COUNT migrations, 10 s of GET /migrations/pending from 8 clients and 3 GET /schema"
  start -XX:NativeMemoryTracking=summary
  echo "   idle after start: RSS $(( $(ps -o rss= -p "$SERVICE") / 1024 )) MB"
  curl -fsS -X POST "http://127.0.0.1:$HTTP/migrations/apply" -H "Authorization: Bearer $TOKEN" -o "$OUT/apply.json"
  echo "   after the apply: RSS $(( $(ps -o rss= -p "$SERVICE") / 1024 )) MB"
  echo "   GET /migrations/pending, 1 client:  $(java bench/Load.java "http://127.0.0.1:$HTTP/migrations/pending" "$TOKEN" 1 3 5)"
  echo "   GET /migrations/pending, 8 clients: $(java bench/Load.java "http://127.0.0.1:$HTTP/migrations/pending" "$TOKEN" 8 3 10)"
  for _ in 1 2 3; do curl -fsS "http://127.0.0.1:$HTTP/schema?format=json" -H "Authorization: Bearer $TOKEN" -o /dev/null; done
  echo "   after the load: RSS $(( $(ps -o rss= -p "$SERVICE") / 1024 )) MB; JVM committed memory by category (NMT):"
  jcmd "$SERVICE" VM.native_memory summary scale=MB | grep -E '^(Total|-  *[A-Za-z ]+\(reserved)' | sed 's/^/     /'
  jcmd "$SERVICE" GC.run >/dev/null
  sleep 2
  echo "   after a full GC (jcmd GC.run): RSS $(( $(ps -o rss= -p "$SERVICE") / 1024 )) MB; NMT:"
  jcmd "$SERVICE" VM.native_memory summary scale=MB | grep -E '^(Total|-  *[A-Za-z ]+\(reserved)' | sed 's/^/     /'
  echo "   heap: $(jcmd "$SERVICE" GC.heap_info | sed -n 2p | tr -s ' ')"
  echo "   load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  # This block runs in a subshell (the pipe to tee): the EXIT trap of the script does not see its SERVICE.
  kill "$SERVICE"; wait "$SERVICE" 2>/dev/null || true
} | tee "$REPORT"
