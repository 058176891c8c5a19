#!/usr/bin/env bash
# Benchmark: introspect a generated database of N tables (10 columns, a primary key, an index and a foreign key each)
# with a warm service (GET /schema?format=json: the catalog queries plus the snapshot JSON) and with
# pg_dump --schema-only, alternating, and print the medians and their ratio.
#
# Usage: bench/introspect.sh [rounds=7] [tables=1000]
# Needs: java 17, psql and pg_dump matching the server, and a PostgreSQL server
# (BENCH_PG, default postgresql://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-7}
TABLES=${2:-1000}
PG=${BENCH_PG:-postgresql://postgres@127.0.0.1:5432/postgres}
BASE=${PG%/*}
DB=bench_introspect
OUT=bench/out
mkdir -p "$OUT"
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

psql "$PG" -X -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
# In batches of 500 tables per transaction, so that 10,000 tables stay within the server's lock table.
for from in $(seq 1 500 "$TABLES"); do
  to=$(( from + 499 < TABLES ? from + 499 : TABLES ))
  psql "$BASE/$DB" -X -q -v ON_ERROR_STOP=1 <<SQL >/dev/null
DO \$\$
BEGIN
  FOR i IN $from..$to LOOP
    EXECUTE format('CREATE TABLE t%s (id bigint PRIMARY KEY, ref_id bigint, name text NOT NULL, email varchar(255),
      amount numeric(12, 2) DEFAULT 0, active boolean DEFAULT true NOT NULL, created_at timestamp with time zone DEFAULT now(),
      payload jsonb, tags text[], code char(3))', i);
    EXECUTE format('CREATE INDEX t%s_ref_idx ON t%s (ref_id)', i, i);
    IF i > 1 THEN
      EXECUTE format('ALTER TABLE t%s ADD CONSTRAINT t%s_ref_fk FOREIGN KEY (ref_id) REFERENCES t%s (id) ON DELETE CASCADE', i, i, i - 1);
    END IF;
  END LOOP;
END
\$\$;
SQL
done

PORT=18766
DATABASE_URL="$BASE/$DB" QUARKUS_HTTP_PORT=$PORT java -jar target/quarkus-app/quarkus-run.jar > "$OUT/introspect-service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true; psql "$PG" -X -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/q/health/live" >/dev/null && break; sleep 0.2; done

ms() { date +%s%N; }
run_service() { local t0 t1; t0=$(ms); curl -fsS "http://127.0.0.1:$PORT/schema?format=json" -o "$OUT/introspect.json"; t1=$(ms); echo $(( (t1 - t0) / 1000000 )); }
run_dump() { local t0 t1; t0=$(ms); pg_dump --schema-only "$BASE/$DB" > "$OUT/introspect-dump.sql"; t1=$(ms); echo $(( (t1 - t0) / 1000000 )); }

echo "warm-up (not counted)..." >&2
for _ in 1 2 3; do run_service >/dev/null; run_dump >/dev/null; done
S=(); D=()
for r in $(seq 1 "$ROUNDS"); do
  S+=("$(run_service)"); D+=("$(run_dump)")
  echo "round $r: service ${S[-1]} ms, pg_dump ${D[-1]} ms" >&2
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
s=$(median "${S[@]}"); d=$(median "${D[@]}")
tables=$(grep -c '"schema": ""' "$OUT/introspect.json" || true)
echo
echo "Introspect $TABLES tables x 10 columns (PK, index, FK each); median of $ROUNDS rounds ($(date -u +%Y-%m-%d), $(nproc) cores, $(psql "$PG" -X -A -t -c 'show server_version'))"
echo
echo "| tool | median ms | vs pg_dump |"
echo "|---|---:|---:|"
awk -v s="$s" -v d="$d" 'BEGIN {
  printf "| Mellon Migrator GET /schema?format=json (warm) | %d | %.2fx |\n", s, s/d
  printf "| pg_dump --schema-only | %d | 1.00x |\n", d }'
echo
echo "tables in the service's snapshot: $tables (expected $TABLES)"
awk -v s="$s" -v d="$d" 'BEGIN { printf "target: within 1.5x of pg_dump: %s\n", (s <= 1.5*d ? "met" : "MISSED") }'
