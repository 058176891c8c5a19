#!/usr/bin/env bash
# One benchmark command: every benchmark of the project against a private PostgreSQL, one Markdown table of medians,
# min-max and ratios against baselines measured in the same run, and a bar chart of the ratios.
#
#   apply 1,000 migrations     warm service (POST /migrations/apply) | cold CLI (java -jar ... apply) |
#                              drizzle-orm migrate() | baseline: psql -X -1 -f all.sql (the same SQL, one transaction)
#   no-op apply                POST /migrations/apply with 1,000 applied entries (every hash validated); target < 50 ms
#   GET /migrations/pending    throughput and p99 from a loopback Java load generator (bench/Load.java), next to
#                              GET /q/health/live as the framework's ceiling; target >= 5,000 req/s, p99 < 20 ms.
#                              A JFR profile of the pending run says where the time goes.
#   introspection              GET /schema?format=json on the 1,000 applied tables vs pg_dump --schema-only
#   service                    start to ready (target < 1.5 s), RSS idle and after the runs (target < 200 MB)
#   generate and drift         bench/generate.sh (drizzle-kit generate, pg_dump), its table folded in
#   proof and replay           bench/verify.sh (generate's proof vs generating) and bench/replay.sh (cold replay vs
#                              psql -1, warm drift vs pg_dump), their tables appended
#
# Every timed run starts from a settled server (CHECKPOINT, sync, a pause), and the tools alternate round by round.
# Writes bench/results/<date>.md and bench/results/<date>.svg (and the raw log and profile next to them).
#
# Usage: bench/run.sh [rounds=5] [migrations=1000]
#   BENCH_GENERATE_ROUNDS (default 3; 0 skips generate.sh), BENCH_PROOF_ROUNDS (default 5; 0 skips verify.sh and
#   replay.sh), BENCH_LOAD_SECONDS (10), BENCH_LOAD_CLIENTS (8),
#   BENCH_PAUSE (settling pause, default 1 s), BENCH_NOTE (a line written under the table, e.g. what else ran),
#   BENCH_NAME (the result files' name; default the date), BENCH_REAL_FOLDER (a real history for the second pending
#   figure; default ../shared/corpus/ctrlplane, skipped when absent).
# Needs: java 17, node + npm (drizzle-orm 0.45.4, pg 8.23.1 and drizzle-kit 0.31.11 are installed into
# bench/out/node), PostgreSQL server binaries (initdb, pg_ctl, psql, pg_dump; /usr/lib/postgresql/<newest>/bin),
# curl, and root (initdb then runs as user postgres via runuser) or a user that may run initdb.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
COUNT=${2:-1000}
GEN_ROUNDS=${BENCH_GENERATE_ROUNDS:-3}
LOAD_SECONDS=${BENCH_LOAD_SECONDS:-10}
LOAD_CLIENTS=${BENCH_LOAD_CLIENTS:-8}
PAUSE=${BENCH_PAUSE:-1}
DATE=$(date -u +%Y-%m-%d)
NAME=${BENCH_NAME:-$DATE}   # the result files' name: the date, or e.g. 2026-11-30-cache for a second run that day
OUT=bench/out/run
RESULTS=bench/results
NODE=bench/out/node
PORT=55441
HTTP=18768
HTTP2=18769
JAR=target/quarkus-app/quarkus-run.jar
rm -rf "$OUT" && mkdir -p "$OUT" "$RESULTS"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
LOG="$OUT/run.log"
exec 2> >(tee "$LOG" >&2)
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests -Dquarkus.analytics.disabled=true

# --- the private cluster ------------------------------------------------------------------------------------------
. bench/lib.sh
start_cluster run

rss_mb() { awk '{printf "%d", $1/1024}' <<<"$(ps -o rss= -p "$1")"; }

# --- inputs -------------------------------------------------------------------------------------------------------
if [ ! -d "$NODE/node_modules/drizzle-orm" ] || [ ! -d "$NODE/node_modules/pg" ] || [ ! -d "$NODE/node_modules/drizzle-kit" ]; then
  mkdir -p "$NODE"
  [ -f "$NODE/package.json" ] || echo '{"name":"bench","private":true,"type":"module"}' > "$NODE/package.json"
  npm install --prefix "$NODE" --no-audit --no-fund --loglevel=error drizzle-orm@0.45.4 pg@8.23.1 drizzle-kit@0.31.11 >/dev/null
fi
cat > "$NODE/migrate.mjs" <<'JS'
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
const [url, folder] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 1 });
await migrate(drizzle(pool), { migrationsFolder: folder });
await pool.end();
JS
FOLDER="$PWD/$OUT/folder"
java bench/GenerateFolder.java "$FOLDER" "$COUNT" 42 >/dev/null
TOKEN=bench-token
TOKEN_HASH=sha256:$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
AUTH="Authorization: Bearer $TOKEN"

start_service() { # port database log [folder] -> pid
  DATABASE_URL="$DB/$2" MIGRATOR_FOLDER="${4:-$FOLDER}" QUARKUS_HTTP_PORT=$1 QUARKUS_DATASOURCE_JDBC_MIN_SIZE=0 \
    MIGRATOR_AUTH_TOKENS_BENCH_HASH="$TOKEN_HASH" MIGRATOR_AUTH_TOKENS_BENCH_ROLES=admin \
    java -jar "$JAR" > "$3" 2>&1 &
  echo $!
}
await_ready() { # port pid
  for _ in $(seq 1 3000); do
    curl -fs -o /dev/null "http://127.0.0.1:$1/q/health/ready" && return 0
    kill -0 "$2" 2>/dev/null || { echo "the service exited" >&2; return 1; }
    sleep 0.01
  done
  return 1
}

# --- service start to ready (a service that is started and stopped, on a small database) ---------------------------
fresh bench_start
ST=(); SR=()
for r in $(seq 1 "$ROUNDS"); do
  settle
  t0=$(ms); pid=$(start_service $HTTP2 bench_start "$OUT/start-$r.log"); await_ready $HTTP2 "$pid"; t1=$(ms)
  ST+=("$(( (t1 - t0) / 1000000 ))"); sleep 2; SR+=("$(rss_mb "$pid")")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "start $r: ready after ${ST[-1]} ms, idle RSS ${SR[-1]} MB" >&2
done

# --- apply 1,000 migrations ---------------------------------------------------------------------------------------
fresh bench_service
SERVICE=$(start_service $HTTP bench_service "$OUT/service.log")
await_ready $HTTP "$SERVICE"
sleep 2
RSS_IDLE=$(rss_mb "$SERVICE")
URL=http://127.0.0.1:$HTTP

run_service() { fresh bench_service; settle; local t0 t1; t0=$(ms)
  curl -fsS -X POST "$URL/migrations/apply" -H "$AUTH" -H 'Content-Type: application/json' -d '{"wait":"PT5M"}' > "$OUT/service-reply.json"
  t1=$(ms); echo $(( (t1 - t0) / 1000000 )); }
run_cli() { fresh bench_cli; settle; local t0 t1; t0=$(ms)
  java -jar "$JAR" apply --database-url "$DB/bench_cli" --folder "$FOLDER" --json > "$OUT/cli-reply.json"
  t1=$(ms); echo $(( (t1 - t0) / 1000000 )); }
run_psql() { fresh bench_psql; settle; local t0 t1; t0=$(ms)
  psql "$DB/bench_psql" -X -q -1 -v ON_ERROR_STOP=1 -f "$FOLDER/all.sql" >/dev/null
  t1=$(ms); echo $(( (t1 - t0) / 1000000 )); }
run_drizzle() { fresh bench_drizzle; settle; local t0 t1; t0=$(ms)
  (cd "$NODE" && node migrate.mjs "$DB/bench_drizzle" "$FOLDER")
  t1=$(ms); echo $(( (t1 - t0) / 1000000 )); }

echo "apply warm-up (not counted)..." >&2
run_service >/dev/null; run_cli >/dev/null; run_psql >/dev/null; run_drizzle >/dev/null
grep -q '"outcome":"applied"' "$OUT/service-reply.json" || { echo "the service did not apply: $(head -c 500 "$OUT/service-reply.json")" >&2; exit 1; }
grep -q '"outcome":"applied"' "$OUT/cli-reply.json" || { echo "the CLI did not apply: $(head -c 500 "$OUT/cli-reply.json")" >&2; exit 1; }
AS=(); AC=(); AP=(); AD=()
for r in $(seq 1 "$ROUNDS"); do
  # Rotate the order each round so that no tool always follows the same one.
  case $(( r % 4 )) in
    1) AS+=("$(run_service)"); AC+=("$(run_cli)"); AP+=("$(run_psql)"); AD+=("$(run_drizzle)") ;;
    2) AC+=("$(run_cli)"); AP+=("$(run_psql)"); AD+=("$(run_drizzle)"); AS+=("$(run_service)") ;;
    3) AP+=("$(run_psql)"); AD+=("$(run_drizzle)"); AS+=("$(run_service)"); AC+=("$(run_cli)") ;;
    0) AD+=("$(run_drizzle)"); AS+=("$(run_service)"); AC+=("$(run_cli)"); AP+=("$(run_psql)") ;;
  esac
  echo "apply round $r: service ${AS[-1]} ms, cli ${AC[-1]} ms, psql ${AP[-1]} ms, drizzle-orm ${AD[-1]} ms" >&2
done
ROWS_SERVICE=$(psql "$DB/bench_service" -X -A -t -c "select count(*) from drizzle.__drizzle_migrations")
ROWS_DRIZZLE=$(psql "$DB/bench_drizzle" -X -A -t -c "select count(*) from drizzle.__drizzle_migrations")

# --- no-op apply with COUNT applied entries ---------------------------------------------------------------------------
settle
for _ in 1 2 3; do curl -fsS -X POST "$URL/migrations/apply" -H "$AUTH" -o /dev/null; done
NS=(); NT=()
for r in $(seq 1 $(( ROUNDS * 4 ))); do
  t0=$(ms); curl -fsS -X POST "$URL/migrations/apply" -H "$AUTH" -o "$OUT/noop.json"; t1=$(ms)
  NS+=("$(( (t1 - t0) / 1000000 ))"); NT+=("$(grep -o '"totalMillis":[0-9]*' "$OUT/noop.json" | cut -d: -f2)")
done
grep -q '"outcome":"up-to-date"' "$OUT/noop.json" || { echo "no-op apply was not up-to-date" >&2; exit 1; }
grep -q "\"alreadyAppliedCount\":$COUNT" "$OUT/noop.json" || { echo "no-op apply did not count $COUNT entries" >&2; exit 1; }
echo "no-op apply: ${NS[*]} ms (totalMillis ${NT[*]})" >&2
# What the measuring itself costs: the same date/curl/date round trip against an endpoint that does nothing.
CS=()
for r in $(seq 1 $(( ROUNDS * 4 ))); do
  t0=$(ms); curl -fsS "$URL/q/health/live" -H "$AUTH" -o /dev/null; t1=$(ms); CS+=("$(( (t1 - t0) / 1000000 ))")
done
echo "curl round trip of GET /q/health/live: ${CS[*]} ms" >&2

# --- GET /migrations/pending under load, next to GET /q/health/live --------------------------------------------------
load() { java bench/Load.java "$1" "$TOKEN" "$LOAD_CLIENTS" 3 "$LOAD_SECONDS"; }
field() { tr ' ' '\n' <<<"$1" | grep "^$2=" | cut -d= -f2; }
settle
LIVE=$(load "$URL/q/health/live"); echo "GET /q/health/live: $LIVE" >&2
settle
JFR_OK=1
jcmd "$SERVICE" JFR.start name=pending settings=profile filename="$PWD/$OUT/pending.jfr" >/dev/null 2>&1 || JFR_OK=0
PENDING=$(load "$URL/migrations/pending"); echo "GET /migrations/pending: $PENDING" >&2
[ "$JFR_OK" = 0 ] || jcmd "$SERVICE" JFR.stop name=pending >/dev/null 2>&1 || JFR_OK=0
settle
PENDING2=$(load "$URL/migrations/pending"); echo "GET /migrations/pending (again, without the profiler): $PENDING2" >&2
PENDING_BYTES=$(curl -fsS -o /dev/null -w '%{size_download}' "$URL/migrations/pending" -H "$AUTH")
echo "GET /migrations/pending answers $PENDING_BYTES bytes (every entry of the synthetic folder lacks its snapshot: a warning each)" >&2

# The same on a real history whose entries have their snapshots (an answer of a few hundred bytes), applied first.
REAL_FOLDER=${BENCH_REAL_FOLDER:-../shared/corpus/ctrlplane}
REAL=""
if [ -f "$REAL_FOLDER/meta/_journal.json" ]; then
  fresh bench_real
  REAL_PID=$(start_service $HTTP2 bench_real "$OUT/real.log" "$(cd "$REAL_FOLDER" && pwd)")
  await_ready $HTTP2 "$REAL_PID"
  curl -fsS -X POST "http://127.0.0.1:$HTTP2/migrations/apply" -H "$AUTH" -o "$OUT/real-apply.json"
  grep -q '"outcome":"applied"' "$OUT/real-apply.json" || { echo "$REAL_FOLDER did not apply: $(head -c 500 "$OUT/real-apply.json")" >&2; exit 1; }
  REAL_APPLIED=$(psql "$DB/bench_real" -X -A -t -c "select count(*) from drizzle.__drizzle_migrations")
  REAL_BYTES=$(curl -fsS -o /dev/null -w '%{size_download}' "http://127.0.0.1:$HTTP2/migrations/pending" -H "$AUTH")
  settle
  REAL=$(load "http://127.0.0.1:$HTTP2/migrations/pending")
  echo "GET /migrations/pending, $(basename "$REAL_FOLDER") ($REAL_APPLIED entries applied, $REAL_BYTES bytes): $REAL" >&2
  kill "$REAL_PID"; wait "$REAL_PID" 2>/dev/null || true
fi

PROFILE="$RESULTS/$NAME-pending-profile.txt"
if [ "$JFR_OK" = 1 ] && [ -f "$OUT/pending.jfr" ]; then
  jfr print --events jdk.ExecutionSample --stack-depth 96 "$OUT/pending.jfr" > "$OUT/samples.txt"
  awk '
    BEGIN { split("hashing (SHA-256 of the migration files)|reading the folder (file system calls)|dev.mellon.migrator.folder (journal, files, split)|JDBC: the tracking-table query (driver and pool)|Jackson (journal parse and response JSON)|any of the folder work above (reading, hashing, splitting the folder)|none of the above (HTTP, auth, status matching, GC, ...)", names, "|")
      for (i in names) cat[names[i]] = 1 }
    function flush() { if (!inside) return; n++
      if (hit["hashing (SHA-256 of the migration files)"] || hit["reading the folder (file system calls)"] || hit["dev.mellon.migrator.folder (journal, files, split)"]) hit["any of the folder work above (reading, hashing, splitting the folder)"] = 1
      if (!hit["any of the folder work above (reading, hashing, splitting the folder)"] && !hit["JDBC: the tracking-table query (driver and pool)"] && !hit["Jackson (journal parse and response JSON)"]) hit["none of the above (HTTP, auth, status matching, GC, ...)"] = 1
      for (k in cat) if (hit[k]) c[k]++
      if (leaf != "") top[leaf]++
      delete hit; leaf = ""; inside = 0 }
    /jdk.ExecutionSample/ { flush(); inside = 1; first = 1; next }
    /^[ \t]+[a-zA-Z_$][a-zA-Z0-9_$.]*\(.*line:/ {
      f = $1; sub(/\(.*/, "", f)
      if (first) { leaf = f; first = 0 }
      if (f ~ /MessageDigest|SHA2|sha256|Sha256|DigestBase/) hit["hashing (SHA-256 of the migration files)"] = 1
      if (f ~ /java\.nio\.file\.Files\.(read|newInputStream|readAllBytes|readString|lines|walk|list|exists|isRegularFile|size|getLastModifiedTime|readAttributes)|sun\.nio\.fs|sun\.nio\.ch\.FileChannelImpl|FileInputStream/) hit["reading the folder (file system calls)"] = 1
      if (f ~ /dev\.mellon\.migrator\.folder\./) hit["dev.mellon.migrator.folder (journal, files, split)"] = 1
      if (f ~ /org\.postgresql|io\.agroal/) hit["JDBC: the tracking-table query (driver and pool)"] = 1
      if (f ~ /com\.fasterxml\.jackson/) hit["Jackson (journal parse and response JSON)"] = 1
      next }
    END { flush()
      printf "JFR execution samples of the service during the GET /migrations/pending run: %d\n\n", n
      print "share of samples whose stack contains:"
      for (i = 1; i <= 7; i++) printf "  %5.1f%%  %s\n", (n ? 100 * c[names[i]] / n : 0), names[i]
      print "\ntop leaf frames:"
      for (k in top) printf "%d %s\n", top[k], k | "sort -rn | head -15 | awk \x27{printf \"  %5d  %s\\n\", $1, $2}\x27"
    }' "$OUT/samples.txt" > "$PROFILE" 2>/dev/null || true
else
  echo "JFR was not available: no profile" > "$PROFILE"
fi
cat "$PROFILE" >&2

# --- introspection of the applied tables vs pg_dump ----------------------------------------------------------------
IS=(); ID=()
curl -fsS "$URL/schema?format=json" -H "$AUTH" -o "$OUT/schema.json"
for r in $(seq 1 "$ROUNDS"); do
  settle; t0=$(ms); curl -fsS "$URL/schema?format=json" -H "$AUTH" -o "$OUT/schema.json"; t1=$(ms); IS+=("$(( (t1 - t0) / 1000000 ))")
  settle; t0=$(ms); pg_dump --schema-only "$DB/bench_service" > "$OUT/dump.sql"; t1=$(ms); ID+=("$(( (t1 - t0) / 1000000 ))")
  echo "introspect round $r: service ${IS[-1]} ms, pg_dump ${ID[-1]} ms" >&2
done
sleep 2
RSS_AFTER=$(rss_mb "$SERVICE")
jcmd "$SERVICE" GC.run >/dev/null 2>&1 || true
HEAP=$(jcmd "$SERVICE" GC.heap_info 2>/dev/null | sed -n 2p | tr -s ' ' || true)
RSS_GC=$(rss_mb "$SERVICE")
kill "$SERVICE"; wait "$SERVICE" 2>/dev/null || true; SERVICE=

# --- RSS in a 512 MiB container: the image's JVM options, with the limit a container would show the JVM -------------
# -XX:MaxRAM stands for the memory limit the JVM reads from its container; the image adds -XX:MaxRAMPercentage=75; and
# below 1,792 MB the JVM does not count the machine as server class and picks the serial collector by itself.
CONTAINED=$(JAVA_TOOL_OPTIONS="-XX:MaxRAM=512m -XX:MaxRAMPercentage=75 -XX:+UseSerialGC" start_service $HTTP2 bench_service "$OUT/contained.log")
await_ready $HTTP2 "$CONTAINED"
sleep 2
RSS_C_IDLE=$(rss_mb "$CONTAINED")
for _ in $(seq 1 $(( ROUNDS * 4 ))); do curl -fsS -X POST "http://127.0.0.1:$HTTP2/migrations/apply" -H "$AUTH" -o /dev/null; done
java bench/Load.java "http://127.0.0.1:$HTTP2/migrations/pending" "$TOKEN" "$LOAD_CLIENTS" 3 "$LOAD_SECONDS" >/dev/null
curl -fsS "http://127.0.0.1:$HTTP2/schema?format=json" -H "$AUTH" -o /dev/null
sleep 2
RSS_C_AFTER=$(rss_mb "$CONTAINED")
echo "RSS with -XX:MaxRAM=512m -XX:MaxRAMPercentage=75 -XX:+UseSerialGC: idle $RSS_C_IDLE MB, after no-op applies, the pending load and an introspection $RSS_C_AFTER MB" >&2
kill "$CONTAINED"; wait "$CONTAINED" 2>/dev/null || true
as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null

# --- generate and drift: bench/generate.sh, its own private cluster --------------------------------------------------
GEN=""
if [ "$GEN_ROUNDS" -gt 0 ]; then
  echo "bench/generate.sh $GEN_ROUNDS 1000 ..." >&2
  GEN=$(bench/generate.sh "$GEN_ROUNDS" 1000 2>>"$LOG" | tee "$OUT/generate.txt") || { echo "bench/generate.sh failed: see $LOG" >&2; GEN=""; }
fi

# --- generate's proof and drift by replay: bench/verify.sh and bench/replay.sh, each on its own private cluster --------
PROOF_ROUNDS=${BENCH_PROOF_ROUNDS:-5}
PROOF=""
if [ "$PROOF_ROUNDS" -gt 0 ]; then
  echo "bench/verify.sh $PROOF_ROUNDS 200 ..." >&2
  PROOF=$(bench/verify.sh "$PROOF_ROUNDS" 200 2>>"$LOG" | tee "$OUT/verify.txt") || { echo "bench/verify.sh failed: see $LOG" >&2; PROOF=""; }
  echo "bench/replay.sh $PROOF_ROUNDS $COUNT ..." >&2
  REPLAYED=$(bench/replay.sh "$PROOF_ROUNDS" "$COUNT" 2>>"$LOG" | tee "$OUT/replay.txt") || { echo "bench/replay.sh failed: see $LOG" >&2; REPLAYED=""; }
  PROOF="$PROOF
$REPLAYED"
fi

# --- the table ------------------------------------------------------------------------------------------------------
ROWS="$OUT/rows.tsv"   # what | tool | median | min-max | unit | baseline | ratio (baseline/tool time, or tool/baseline rate) | target
: > "$ROWS"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$ROWS"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
ap=$(median "${AP[@]}"); as=$(median "${AS[@]}"); ac=$(median "${AC[@]}"); ad=$(median "${AD[@]}")
W="apply $COUNT migrations"
row "$W" "Mellon Migrator, warm service: POST /migrations/apply" "$as" "$(minmax "${AS[@]}")" ms "psql -1" "$(ratio "$ap" "$as")" ""
row "$W" "Mellon Migrator, cold CLI: java -jar quarkus-run.jar apply" "$ac" "$(minmax "${AC[@]}")" ms "psql -1" "$(ratio "$ap" "$ac")" ""
row "$W" "drizzle-orm 0.45.4 migrate() (node process)" "$ad" "$(minmax "${AD[@]}")" ms "psql -1" "$(ratio "$ap" "$ad")" ""
row "$W" "psql -X -1 -f all.sql (baseline)" "$ap" "$(minmax "${AP[@]}")" ms "psql -1" "1.00" ""
ns=$(median "${NS[@]}")
row "no-op apply, $COUNT applied" "POST /migrations/apply, round trip (totalMillis $(median "${NT[@]}") ms)" "$ns" "$(minmax "${NS[@]}")" ms "" "" \
  "< 50 ms: round trip $(awk -v v="$ns" 'BEGIN { print (v < 50 ? "met" : "MISSED") }'), in the service $(awk -v v="$(median "${NT[@]}")" 'BEGIN { print (v < 50 ? "met" : "MISSED") }')"
row "no-op apply, $COUNT applied" "baseline: the same curl round trip to GET /q/health/live (process start, HTTP, auth)" "$(median "${CS[@]}")" "$(minmax "${CS[@]}")" ms "" "" ""
lr=$(field "$LIVE" rps); pr=$(field "$PENDING2" rps); pp=$(field "$PENDING2" p99); pe=$(field "$PENDING2" errors)
row "GET /migrations/pending, $LOAD_CLIENTS clients" "synthetic folder, $COUNT entries applied, $PENDING_BYTES-byte answer (p50 $(field "$PENDING2" p50) ms, p99 $pp ms, max $(field "$PENDING2" max) ms, $pe errors)" \
  "$pr" "with JFR on: $(field "$PENDING" rps)" "req/s" "GET /q/health/live" "$(ratio "$pr" "$lr")" \
  "≥ 5,000 req/s: $(awk -v v="$pr" 'BEGIN { print (v >= 5000 ? "met" : "MISSED") }'); p99 < 20 ms: $(awk -v v="$pp" 'BEGIN { print (v < 20 ? "met" : "MISSED") }')"
if [ -n "$REAL" ]; then
  rr=$(field "$REAL" rps); rp=$(field "$REAL" p99)
  row "GET /migrations/pending, $LOAD_CLIENTS clients" "$(basename "$REAL_FOLDER"): a real history, $REAL_APPLIED entries applied, snapshots present, $REAL_BYTES-byte answer (p50 $(field "$REAL" p50) ms, p99 $rp ms, $(field "$REAL" errors) errors)" \
    "$rr" "" "req/s" "GET /q/health/live" "$(ratio "$rr" "$lr")" \
    "≥ 5,000 req/s: $(awk -v v="$rr" 'BEGIN { print (v >= 5000 ? "met" : "MISSED") }'); p99 < 20 ms: $(awk -v v="$rp" 'BEGIN { print (v < 20 ? "met" : "MISSED") }')"
fi
row "GET /migrations/pending, $LOAD_CLIENTS clients" "GET /q/health/live (baseline: HTTP, auth, no work; p99 $(field "$LIVE" p99) ms)" "$lr" "" "req/s" "GET /q/health/live" "1.00" ""
is=$(median "${IS[@]}"); id=$(median "${ID[@]}")
row "introspect $COUNT tables" "GET /schema?format=json (warm)" "$is" "$(minmax "${IS[@]}")" ms "pg_dump" "$(ratio "$id" "$is")" ""
row "introspect $COUNT tables" "pg_dump --schema-only (baseline)" "$id" "$(minmax "${ID[@]}")" ms "pg_dump" "1.00" ""
st=$(median "${ST[@]}")
row "service" "start to ready (java -jar, GET /q/health/ready = 200)" "$st" "$(minmax "${ST[@]}")" ms "" "" \
  "< 1.5 s: $(awk -v v="$st" 'BEGIN { print (v < 1500 ? "met" : "MISSED") }')"
row "service" "RSS idle after start / warm service before the runs" "$(median "${SR[@]}") / $RSS_IDLE" "$(minmax "${SR[@]}")" MB "" "" \
  "< 200 MB: $(awk -v v="$RSS_IDLE" 'BEGIN { print (v < 200 ? "met" : "MISSED") }')"
row "service" "RSS after every run above" "$RSS_AFTER" "" MB "" "" "< 200 MB: $(awk -v v="$RSS_AFTER" 'BEGIN { print (v < 200 ? "met" : "MISSED") }')"
row "service" "RSS in a 512 MiB container (image JVM options), idle / after no-op applies, pending load, introspection" "$RSS_C_IDLE / $RSS_C_AFTER" "" MB "" "" \
  "< 200 MB: $(awk -v v="$RSS_C_AFTER" 'BEGIN { print (v < 200 ? "met" : "MISSED") }')"
if [ -n "$GEN" ]; then
  while IFS='|' read -r _ what svc base ratio_ _; do
    what=$(echo "$what" | sed 's/^ *//; s/ *$//'); svc=${svc// /}; base=${base// /}; ratio_=${ratio_// /}; ratio_=${ratio_%x}
    case "$what" in
      generate,*) row "generate, 1000 tables ($GEN_ROUNDS rounds)" "POST /migrations/generate, ${what#generate, }" "$svc" "" ms "drizzle-kit generate ($base ms)" "$ratio_" \
        "≥ 5x faster: $(awk -v r="$ratio_" 'BEGIN { print (r >= 5 ? "met" : "MISSED") }')" ;;
      GET*) row "drift, 1000 tables ($GEN_ROUNDS rounds)" "$what" "$svc" "" ms "pg_dump ($base ms)" "$ratio_" \
        "within 2x of pg_dump: $(awk -v r="$ratio_" 'BEGIN { print (r >= 0.5 ? "met" : "MISSED") }')" ;;
    esac
  done < <(grep '^| \(generate\|GET\)' <<<"$GEN")
fi

MD="$RESULTS/$NAME.md"
{
  echo "# Benchmark $DATE"
  echo
  echo "Command: \`bench/run.sh $ROUNDS $COUNT\` ($(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), Java $(java -version 2>&1 | head -1 | cut -d'"' -f2),"
  echo "private PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') with fsync, synchronous_commit and full_page_writes off; every timed run from a settled server:"
  echo "CHECKPOINT, sync, ${PAUSE} s pause; tools rotated round by round; medians of $ROUNDS rounds, no-op of $(( ROUNDS * 4 ))."
  echo "Load average (1, 5, 15 min) at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  [ -z "${BENCH_NOTE:-}" ] || { echo; echo "$BENCH_NOTE"; }
  echo
  echo "Ratio: baseline time / tool time (above 1: faster than the baseline); for throughput, tool rate / baseline rate."
  echo
  echo "| what | tool | median | min–max | unit | baseline | ratio | target |"
  echo "|---|---|---:|---:|---|---|---:|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, ($7 == "" ? "" : $7 "x"), $8 }' "$ROWS"
  echo
  echo "Tracking rows after the last round: service $ROWS_SERVICE, drizzle-orm $ROWS_DRIZZLE (expected $COUNT)."
  echo "The warm service at the end, after a full GC (jcmd GC.run): RSS $RSS_GC MB; heap:$HEAP"
  echo "(java -jar with the JVM's default heap sizing: at most a quarter of this machine's RAM; the image's entrypoint sets -XX:MaxRAMPercentage=75 of the container's limit.)"
  echo
  echo "![ratios](${NAME}.svg)"
  echo
  echo "Raw rounds:"
  echo
  echo '```'
  grep -E '^(start|apply round|no-op|GET|introspect round|round)' "$LOG" || true
  echo '```'
  echo
  [ -z "$PROOF" ] || { echo "$PROOF"; echo; }
  echo "Where the time of GET /migrations/pending goes ([\`$NAME-pending-profile.txt\`]($NAME-pending-profile.txt)):"
  echo
  echo '```'
  cat "$PROFILE"
  echo '```'
} > "$MD"

# --- the chart: one bar per ratio, log scale, 1x marked ---------------------------------------------------------------
SVG="$RESULTS/$NAME.svg"
awk -F'\t' -v title="Mellon Migrator vs baselines, $DATE (ratio: above 1 = faster / more than the baseline)" '
  $7 != "" && $7 != "1.00" { n++; t = $2; sub(/ \(.*/, "", t); sub(/^Mellon Migrator, /, "", t); label[n] = $1 ": " t; v[n] = $7 + 0; base[n] = $6; sub(/ \(.*/, "", base[n]) }
  END {
    W = 980; left = 470; barw = W - left - 80; h = 26; top = 50
    H = top + n * h + 50
    lo = log(0.0625) / log(2); hi = log(32) / log(2)
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H
    printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
    printf "<text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>\n", title
    for (t = lo; t <= hi; t++) { x = left + (t - lo) / (hi - lo) * barw
      printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>\n", x, top - 6, x, top + n * h, (t == 0 ? "black" : "#ddd")
      printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%gx</text>\n", x, top + n * h + 16, 2 ^ t }
    for (i = 1; i <= n; i++) { y = top + (i - 1) * h
      r = v[i] < 0.0625 ? 0.0625 : (v[i] > 32 ? 32 : v[i]); l = log(r) / log(2)
      x0 = left + (0 - lo) / (hi - lo) * barw; x1 = left + (l - lo) / (hi - lo) * barw
      xs = (x1 < x0 ? x1 : x0); w = (x1 < x0 ? x0 - x1 : x1 - x0)
      lab = label[i]; if (length(lab) > 72) lab = substr(lab, 1, 70) "…"
      gsub(/&/, "\\&amp;", lab); gsub(/</, "\\&lt;", lab); gsub(/>/, "\\&gt;", lab)
      b = base[i]; gsub(/&/, "\\&amp;", b); gsub(/</, "\\&lt;", b)
      printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", left - 8, y + 16, lab
      printf "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s vs %s</title></rect>\n", xs, y + 4, (w < 1 ? 1 : w), h - 8, (v[i] >= 1 ? "#3a7bd5" : "#d5803a"), lab, b
      printf "<text x=\"%.1f\" y=\"%d\" fill=\"#222\">%.2fx vs %s</text>\n", (x1 > x0 ? x1 : x0) + 4, y + 16, v[i], b }
    printf "<text x=\"10\" y=\"%d\" fill=\"#555\">log scale; bars right of the black line: faster than (or more requests than) the baseline measured in the same run</text>\n", H - 10
    print "</svg>" }' "$ROWS" > "$SVG"

cat "$MD"
echo "wrote $MD, $SVG and $PROFILE" >&2
