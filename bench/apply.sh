#!/usr/bin/env bash
# Benchmark: apply a seeded 1,000-migration folder with (1) a warm Mellon Migrator service, (2) psql in one
# transaction (the physical limit) and (3) drizzle-orm's migrate(), alternating tools, each into a fresh database.
#
# Usage: bench/apply.sh [rounds=5] [migrations=1000]
# Needs: java 17, psql, node + npm, and a PostgreSQL server (BENCH_PG, default postgresql://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
COUNT=${2:-1000}
PG=${BENCH_PG:-postgresql://postgres@127.0.0.1:5432/postgres}
BASE=${PG%/*}
OUT=bench/out
mkdir -p "$OUT"

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
rm -rf "$OUT/folder" && java bench/GenerateFolder.java "$OUT/folder" "$COUNT" 42 >/dev/null

if [ ! -d "$OUT/node/node_modules/drizzle-orm" ]; then
  mkdir -p "$OUT/node"
  (cd "$OUT/node" && echo '{"name":"bench","private":true,"type":"module"}' > package.json \
    && npm install --no-audit --no-fund --loglevel=error drizzle-orm@0.45.4 pg@8.23.1 >/dev/null)
fi
cat > "$OUT/node/migrate.mjs" <<'JS'
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
const [url, folder] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 1 });
const start = process.hrtime.bigint();
await migrate(drizzle(pool), { migrationsFolder: folder });
console.log(Number(process.hrtime.bigint() - start) / 1e6);
await pool.end();
JS

fresh() { psql "$PG" -X -q -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null; }
ms() { date +%s%N; }

fresh bench_service
PORT=18765
DATABASE_URL="$BASE/bench_service" MIGRATOR_FOLDER="$PWD/$OUT/folder" QUARKUS_HTTP_PORT=$PORT \
  QUARKUS_DATASOURCE_JDBC_MIN_SIZE=0 java -jar target/quarkus-app/quarkus-run.jar > "$OUT/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/q/health/live" >/dev/null && break; sleep 0.2; done

run_service() {
  fresh bench_service
  local t0 t1; t0=$(ms)
  curl -fsS -X POST "http://127.0.0.1:$PORT/migrations/apply" > "$OUT/service-reply.json"
  t1=$(ms); echo $(( (t1 - t0) / 1000000 ))
}
run_psql() {
  fresh bench_psql
  local t0 t1; t0=$(ms)
  psql "$BASE/bench_psql" -X -q -1 -v ON_ERROR_STOP=1 -f "$OUT/folder/all.sql" >/dev/null
  t1=$(ms); echo $(( (t1 - t0) / 1000000 ))
}
run_drizzle() {
  fresh bench_drizzle
  (cd "$OUT/node" && node migrate.mjs "$BASE/bench_drizzle" "$PWD/../folder") | awk '{printf "%d\n", $1}'
}

echo "warm-up round (not counted)..." >&2
run_service >/dev/null; run_psql >/dev/null; run_drizzle >/dev/null
grep -q '"outcome":"applied"' "$OUT/service-reply.json" || { echo "service did not apply: $(head -c 500 $OUT/service-reply.json)" >&2; exit 1; }

S=(); P=(); D=()
for r in $(seq 1 "$ROUNDS"); do
  S+=("$(run_service)"); P+=("$(run_psql)"); D+=("$(run_drizzle)")
  echo "round $r: service ${S[-1]} ms, psql ${P[-1]} ms, drizzle-orm ${D[-1]} ms" >&2
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ms_service=$(median "${S[@]}"); ms_psql=$(median "${P[@]}"); ms_drizzle=$(median "${D[@]}")
rows=$(psql "$BASE/bench_service" -X -A -t -c "select count(*) from drizzle.__drizzle_migrations")

echo
echo "Apply $COUNT migrations x 5 statements into a fresh database; median of $ROUNDS rounds ($(date -u +%Y-%m-%d), $(nproc) cores, $(psql "$PG" -X -A -t -c 'show server_version'))"
echo
echo "| tool | median ms | vs psql -1 | drizzle-orm / tool |"
echo "|---|---:|---:|---:|"
awk -v s="$ms_service" -v p="$ms_psql" -v d="$ms_drizzle" 'BEGIN {
  printf "| Mellon Migrator POST /migrations/apply (warm, mode all) | %d | %.2fx | %.2fx |\n", s, s/p, d/s
  printf "| psql -X -1 -v ON_ERROR_STOP=1 -f all.sql | %d | 1.00x | %.2fx |\n", p, d/p
  printf "| drizzle-orm 0.45.4 migrate() | %d | %.2fx | 1.00x |\n", d, d/p
}'
echo
echo "tracking rows written by the service: $rows (expected $COUNT)"
awk -v s="$ms_service" -v p="$ms_psql" -v d="$ms_drizzle" 'BEGIN {
  printf "targets: service <= 1.05x psql: %s; drizzle-orm/service >= 1.3: %s\n", (s <= 1.05*p ? "met" : "MISSED"), (d/s >= 1.3 ? "met" : "MISSED") }'
psql "$PG" -X -q -c "DROP DATABASE IF EXISTS bench_service WITH (FORCE)" -c "DROP DATABASE IF EXISTS bench_psql WITH (FORCE)" -c "DROP DATABASE IF EXISTS bench_drizzle WITH (FORCE)" >/dev/null
