#!/usr/bin/env bash
# Benchmark: generate and canonical drift on a 1,000-table schema, next to the real drizzle-kit and pg_dump.
#
#  1. generate, empty history:     drizzle-kit generate (CLI)  vs  POST /migrations/generate (warm service)
#  2. generate, unchanged history: the same, when the folder already holds the schema ("No schema changes")
#  3. drift:                       GET /schema/diff (canonical, shadow form cached)  vs  pg_dump --schema-only
#
# Every timed run starts from a settled private PostgreSQL (initdb here, fsync off, CHECKPOINT + sync + pause), the
# tools alternate round by round, and the script prints medians and ratios from this one run.
#
# Usage: bench/generate.sh [rounds=5] [tables=1000]
# Needs: java 17, node 20 + npm (drizzle-kit 0.31.11 and drizzle-orm 0.45.4 are installed into bench/out/node),
# PostgreSQL server binaries (initdb, pg_ctl, psql, pg_dump), and root or the postgres user for initdb.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
TABLES=${2:-1000}
OUT=bench/out/generate
NODE=bench/out/node
PORT=55439
HTTP=18767
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PGDATA=/tmp/mellon-bench-generate-pg
rm -rf "$OUT" && mkdir -p "$OUT"
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests -Dquarkus.analytics.disabled=true

as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi; }
rm -rf "$PGDATA" && mkdir -p "$PGDATA" && { [ "$(id -u)" != 0 ] || chown postgres "$PGDATA"; }
as_postgres "$PGBIN/initdb -D $PGDATA -A trust -U postgres" >/dev/null
as_postgres "$PGBIN/pg_ctl -D $PGDATA -l $PGDATA/server.log -w -o '-p $PORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_locks_per_transaction=1024' start" >/dev/null
PG=postgresql://postgres@127.0.0.1:$PORT/postgres
SERVICE=
cleanup() {
  [ -z "$SERVICE" ] || kill "$SERVICE" 2>/dev/null || true
  as_postgres "$PGBIN/pg_ctl -D $PGDATA -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$PGDATA"
}
trap cleanup EXIT
psql "$PG" -X -q -c "CREATE DATABASE bench_generate" >/dev/null

if [ ! -d "$NODE/node_modules/drizzle-kit" ]; then
  mkdir -p "$NODE"
  npm install --prefix "$NODE" --no-audit --no-fund --silent drizzle-kit@0.31.11 drizzle-orm@0.45.4 >/dev/null
fi

# The schema: TABLES tables with 8 columns, a default or two, a unique, an index and a foreign key to the previous one.
PROJECT="$OUT/project"
mkdir -p "$PROJECT"
ln -s "$(pwd)/$NODE/node_modules" "$PROJECT/node_modules"
node - "$TABLES" > "$PROJECT/schema.ts" <<'JS'
const n = Number(process.argv[2]);
const out = ["import { pgTable, serial, integer, text, varchar, numeric, boolean, timestamp, index, unique } from 'drizzle-orm/pg-core';"];
for (let i = 1; i <= n; i++) {
  const ref = i > 1 ? `.references(() => t${i - 1}.id, { onDelete: 'cascade' })` : '';
  out.push(`export const t${i} = pgTable('t${i}', {
  id: serial('id').primaryKey(),
  refId: integer('ref_id')${ref},
  name: text('name').notNull(),
  email: varchar('email', { length: 255 }),
  amount: numeric('amount', { precision: 12, scale: 2 }).default('0'),
  active: boolean('active').default(true).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).defaultNow(),
  code: varchar('code', { length: 3 }),
}, (t) => [index('t${i}_ref_idx').on(t.refId), unique('t${i}_email_unique').on(t.email)]);`);
}
console.log(out.join('\n'));
JS
cp "$PROJECT/schema.ts" "$PROJECT/schema.mjs"
cat > "$PROJECT/drizzle.config.ts" <<'TS'
export default { dialect: 'postgresql', schema: './schema.ts', out: './drizzle' };
TS
cat > "$PROJECT/snapshot.mjs" <<'JS'
import { createRequire } from 'module';
import { writeFileSync } from 'fs';
const require = createRequire(import.meta.url);
const { generateDrizzleJson } = require('drizzle-kit/api');
const schema = await import(process.argv[2]);
writeFileSync(process.argv[3], JSON.stringify({ snapshot: generateDrizzleJson(schema), name: 'init' }));
JS
(cd "$PROJECT" && node snapshot.mjs ./schema.mjs ../request.json)

FOLDER="$OUT/service-folder"
mkdir -p "$FOLDER"
# The packaged service refuses to start without an API token: one admin token for this run.
TOKEN=bench-token
AUTH="Authorization: Bearer $TOKEN"
DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/bench_generate" MIGRATOR_FOLDER="$FOLDER" MIGRATOR_GENERATE_WRITE=true \
  MIGRATOR_AUTH_TOKENS_BENCH_HASH="sha256:$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)" MIGRATOR_AUTH_TOKENS_BENCH_ROLES=admin \
  QUARKUS_HTTP_PORT=$HTTP java -jar target/quarkus-app/quarkus-run.jar > "$OUT/service.log" 2>&1 &
SERVICE=$!
for _ in $(seq 1 150); do
  curl -fs "http://127.0.0.1:$HTTP/q/health/live" >/dev/null && break
  kill -0 "$SERVICE" 2>/dev/null || { echo "the service exited:" >&2; tail -20 "$OUT/service.log" >&2; exit 1; }
  sleep 0.2
done

ms() { date +%s%N; }
settle() { psql "$PG" -X -q -c CHECKPOINT >/dev/null; sync; sleep 1; }
kit() { (cd "$PROJECT" && node_modules/.bin/drizzle-kit generate --name init > ../kit.log 2>&1); }
timed() { local t0 t1; settle; t0=$(ms); "$@"; t1=$(ms); echo $(( (t1 - t0) / 1000000 )); }
service_generate() {
  local status
  status=$(curl -sS -o "$OUT/generate.json" -w '%{http_code}' -X POST "http://127.0.0.1:$HTTP/migrations/generate" -H "$AUTH" \
    -H 'Content-Type: application/json' --data-binary @"$OUT/request.json")
  [ "$status" = 201 ] || [ "$status" = 200 ] || { echo "generate answered $status" >&2; cat "$OUT/generate.json" >&2; exit 1; }
}
reset_kit() { rm -rf "$PROJECT/drizzle"; }
reset_service() { rm -rf "$FOLDER" && mkdir -p "$FOLDER"; }

echo "warm-up (not counted)..." >&2
for _ in 1 2 3 4; do reset_kit; kit; reset_service; service_generate; done

KE=(); SE=(); KU=(); SU=()
for r in $(seq 1 "$ROUNDS"); do
  reset_kit; KE+=("$(timed kit)")
  reset_service; SE+=("$(timed service_generate)")
  KU+=("$(timed kit)")
  grep -q "No schema changes" "$OUT/kit.log" || { echo "drizzle-kit did not see an unchanged schema" >&2; exit 1; }
  SU+=("$(timed service_generate)")
  grep -q '"changes":\[\]' "$OUT/generate.json" || { echo "the service did not see an unchanged schema" >&2; exit 1; }
  echo "round $r: empty history: drizzle-kit ${KE[-1]} ms, service ${SE[-1]} ms; unchanged: drizzle-kit ${KU[-1]} ms, service ${SU[-1]} ms" >&2
done

# Drift: apply the generated history, then compare the live database with it.
curl -fsS -X POST "http://127.0.0.1:$HTTP/migrations/apply" -H "$AUTH" > "$OUT/apply.json"
DB="postgresql://postgres@127.0.0.1:$PORT/bench_generate"
diff_cold=$(timed curl -fsS -H "$AUTH" "http://127.0.0.1:$HTTP/schema/diff" -o "$OUT/diff.json")
grep -q '"inSync":true' "$OUT/diff.json" && grep -q '"comparison":"canonical"' "$OUT/diff.json" \
  || { echo "drift was not in sync or not canonical" >&2; head -c 2000 "$OUT/diff.json" >&2; exit 1; }
dump() { pg_dump --schema-only "$DB" > "$OUT/dump.sql"; }
DS=(); DD=()
for r in $(seq 1 "$ROUNDS"); do
  DS+=("$(timed curl -fsS -H "$AUTH" "http://127.0.0.1:$HTTP/schema/diff" -o "$OUT/diff.json")")
  DD+=("$(timed dump)")
  echo "round $r: drift: service ${DS[-1]} ms, pg_dump ${DD[-1]} ms" >&2
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ke=$(median "${KE[@]}"); se=$(median "${SE[@]}"); ku=$(median "${KU[@]}"); su=$(median "${SU[@]}")
ds=$(median "${DS[@]}"); dd=$(median "${DD[@]}")
echo
echo "Generate and drift, $TABLES tables x 8 columns (PK, FK, unique, index each); medians of $ROUNDS rounds"
echo "($(date -u +%Y-%m-%d), $(nproc) cores, private PostgreSQL $(psql "$PG" -X -A -t -c 'show server_version') with fsync off)"
echo
echo "| what | Mellon Migrator ms | baseline ms | baseline / service |"
echo "|---|---:|---:|---:|"
awk -v s="$se" -v k="$ke" 'BEGIN { printf "| generate, empty history (vs drizzle-kit generate) | %d | %d | %.1fx |\n", s, k, k/s }'
awk -v s="$su" -v k="$ku" 'BEGIN { printf "| generate, unchanged history (vs drizzle-kit generate) | %d | %d | %.1fx |\n", s, k, k/s }'
awk -v s="$ds" -v d="$dd" 'BEGIN { printf "| GET /schema/diff, canonical, warm (vs pg_dump --schema-only) | %d | %d | %.2fx |\n", s, d, d/s }'
echo
echo "first (cold) GET /schema/diff, which builds the shadow database: $diff_cold ms"
awk -v se="$se" -v ke="$ke" -v su="$su" -v ku="$ku" -v ds="$ds" -v dd="$dd" 'BEGIN {
  printf "targets: generate >= 5x faster than drizzle-kit: empty %s, unchanged %s; drift within 2x of pg_dump: %s\n",
    (ke >= 5*se ? "met" : "MISSED"), (ku >= 5*su ? "met" : "MISSED"), (ds <= 2*dd ? "met" : "MISSED") }'
