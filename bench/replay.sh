#!/usr/bin/env bash
# Benchmark: drift by replay on a 1,000-migration history, next to psql and pg_dump in the same run.
#
#  1. cold replay:   GET /schema/diff with no kept replay (the history's SQL replayed into a sandbox, read back, kept),
#                    its replay.millis  vs  psql -X -1 -f all.sql into a fresh database (the same SQL)
#                    target: within 1.2x of psql -1
#  2. warm drift:    GET /schema/diff with the replay kept (one introspection of the target)  vs  pg_dump --schema-only
#                    target: within 1x of pg_dump
#  3. growth:        one migration added and applied, then GET /schema/diff: replay.replayedNow must be 1
#
# Every timed run starts from a settled private PostgreSQL (initdb here, fsync off, CHECKPOINT + sync + pause), the
# tools alternate round by round, and the script prints medians and ratios from this one run.
#
# Usage: bench/replay.sh [rounds=5] [migrations=1000]
# Needs: java 17, PostgreSQL server binaries (initdb, pg_ctl, psql, pg_dump), curl, and root or the postgres user.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
COUNT=${2:-1000}
PAUSE=${BENCH_PAUSE:-1}
OUT=bench/out/replay
PORT=55443
HTTP=18771
JAR=target/quarkus-app/quarkus-run.jar
rm -rf "$OUT" && mkdir -p "$OUT"
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests -Dquarkus.analytics.disabled=true

. bench/lib.sh
start_cluster replay

drop_replays() {
  psql "$PG" -X -A -t -c "select datname from pg_database where datname like 'mellon\_replay\_%'" | while read -r d; do
    [ -z "$d" ] || psql "$PG" -X -q -c "DROP DATABASE \"$d\" WITH (FORCE)" >/dev/null
  done
}

FOLDER="$OUT/folder"
java bench/GenerateFolder.java "$FOLDER" "$COUNT" >/dev/null
fresh bench_target
TOKEN=bench-replay-token
HASH=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
AUTH="Authorization: Bearer $TOKEN"
DATABASE_URL="$DB/bench_target" MIGRATOR_FOLDER="$(pwd)/$FOLDER" MIGRATOR_AUTH_TOKENS_BENCH_HASH="sha256:$HASH" \
  MIGRATOR_AUTH_TOKENS_BENCH_ROLES=admin QUARKUS_HTTP_PORT=$HTTP java -jar "$JAR" > "$OUT/service.log" 2>&1 &
SERVICE=$!
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$HTTP/q/health/ready" -o /dev/null 2>/dev/null && break; sleep 0.2; done
URL=http://127.0.0.1:$HTTP
curl -fsS -X POST "$URL/migrations/apply" -H "$AUTH" -H 'Content-Type: application/json' -d '{"wait":"PT10M"}' -o "$OUT/apply.json"
grep -q '"outcome":"applied"' "$OUT/apply.json" || { echo "the service did not apply" >&2; head -c 500 "$OUT/apply.json" >&2; exit 1; }

cold() { drop_replays; settle; curl -fsS -H "$AUTH" "$URL/schema/diff" -o "$OUT/cold.json"
  grep -q '"comparison":"replay"' "$OUT/cold.json" && grep -q '"inSync":true' "$OUT/cold.json" \
    || { echo "cold drift was not an in-sync replay" >&2; head -c 2000 "$OUT/cold.json" >&2; exit 1; }
  json_number millis "$OUT/cold.json"; }
psql1() { fresh bench_psql; settle; local t0 t1; t0=$(ms)
  psql "$DB/bench_psql" -X -q -1 -v ON_ERROR_STOP=1 -f "$FOLDER/all.sql" >/dev/null
  t1=$(ms); echo $(( (t1 - t0) / 1000000 )); }
warm() { settle; local t0 t1; t0=$(ms); curl -fsS -H "$AUTH" "$URL/schema/diff" -o "$OUT/warm.json"; t1=$(ms)
  grep -q '"replayedNow":0' "$OUT/warm.json" || { echo "warm drift replayed" >&2; exit 1; }
  echo $(( (t1 - t0) / 1000000 )); }
dump() { settle; local t0 t1; t0=$(ms); pg_dump --schema-only "$DB/bench_target" > "$OUT/dump.sql"; t1=$(ms); echo $(( (t1 - t0) / 1000000 )); }

echo "warm-up (not counted)..." >&2
cold >/dev/null; psql1 >/dev/null; warm >/dev/null; dump >/dev/null
RC=(); RP=(); WD=(); WP=()
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 )); then RC+=("$(cold)"); RP+=("$(psql1)"); else RP+=("$(psql1)"); RC+=("$(cold)"); fi
  if (( r % 2 )); then WD+=("$(warm)"); WP+=("$(dump)"); else WP+=("$(dump)"); WD+=("$(warm)"); fi
  echo "round $r: cold replay ${RC[-1]} ms, psql -1 ${RP[-1]} ms; warm drift ${WD[-1]} ms, pg_dump ${WP[-1]} ms" >&2
done

# Growth: one more migration, applied, then drift replays only it.
NEXT=$(printf '%04d' "$COUNT")
printf 'CREATE TABLE "bench_grown" ("id" serial PRIMARY KEY NOT NULL);' > "$FOLDER/${NEXT}_grown.sql"
python3 - "$FOLDER/meta/_journal.json" "$NEXT" <<'PY'
import json, sys
path, idx = sys.argv[1], sys.argv[2]
j = json.load(open(path))
j["entries"].append({"idx": int(idx), "version": "7", "when": j["entries"][-1]["when"] + 1, "tag": idx + "_grown", "breakpoints": True})
open(path, "w").write(json.dumps(j, indent=2))
PY
curl -fsS -X POST "$URL/migrations/apply" -H "$AUTH" -o "$OUT/apply-grown.json"
settle
t0=$(ms); curl -fsS -H "$AUTH" "$URL/schema/diff" -o "$OUT/grown.json"; t1=$(ms)
GROWN_MS=$(( (t1 - t0) / 1000000 ))
GROWN_REPLAYED=$(json_number replayedNow "$OUT/grown.json")
grep -q '"inSync":true' "$OUT/grown.json" || { echo "drift after growth is not in sync" >&2; head -c 2000 "$OUT/grown.json" >&2; exit 1; }

rc=$(median "${RC[@]}"); rp=$(median "${RP[@]}"); wd=$(median "${WD[@]}"); wp=$(median "${WP[@]}")
echo
echo "Drift by replay, $COUNT migrations (one table each, with indexes, foreign keys and a few rows); medians of $ROUNDS rounds"
echo "($(date -u +%Y-%m-%d), $(nproc) cores, private PostgreSQL $(psql "$PG" -X -A -t -c 'show server_version') with fsync off)"
echo
echo "| what | Mellon Migrator ms (min–max) | baseline ms (min–max) | service / baseline | target |"
echo "|---|---:|---:|---:|---|"
awk -v s="$rc" -v b="$rp" -v sr="$(minmax "${RC[@]}")" -v br="$(minmax "${RP[@]}")" 'BEGIN {
  printf "| cold replay, replay.millis of GET /schema/diff (vs psql -X -1 -f all.sql) | %d (%s) | %d (%s) | %.2fx | within 1.2x: %s |\n",
    s, sr, b, br, s/b, (s <= 1.2*b ? "met" : "MISSED") }'
awk -v s="$wd" -v b="$wp" -v sr="$(minmax "${WD[@]}")" -v br="$(minmax "${WP[@]}")" 'BEGIN {
  printf "| warm drift, GET /schema/diff round trip (vs pg_dump --schema-only) | %d (%s) | %d (%s) | %.2fx | within 1x: %s |\n",
    s, sr, b, br, s/b, (s <= b ? "met" : "MISSED") }'
echo "| one entry added: GET /schema/diff round trip, entries replayed: $GROWN_REPLAYED | $GROWN_MS | | | replays one entry: $([ "$GROWN_REPLAYED" = 1 ] && echo met || echo MISSED) |"
