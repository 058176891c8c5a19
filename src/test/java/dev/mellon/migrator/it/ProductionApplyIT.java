package dev.mellon.migrator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.DrizzleOrm;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.ServiceProcess;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Production applies, against the packaged service as a separate process and the real
 * drizzle-orm {@code migrate()}: statements PostgreSQL refuses in a transaction apply in one call where drizzle fails,
 * {@code kill -9} in the middle of a concurrent build resumes to a valid index, a history with hand-written
 * {@code COMMIT;} escapes ends like drizzle's, and {@code GET /migrations/check?database=true} lists INVALID indexes.
 */
class ProductionApplyIT {

    private static final String TYPES = "https://mellon-migrator.dev/problems/";
    /** Each call takes 10 ms: an index on {@code slow(a)} over {@link #SLOW_ROWS} rows takes about 6 s to build. */
    private static final String SLOW_FUNCTION = "CREATE FUNCTION slow(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS "
            + "$$ BEGIN PERFORM pg_sleep(0.01); RETURN i; END $$;";
    private static final int SLOW_ROWS = 600;

    private final ObjectMapper json = new ObjectMapper();

    // ------------------------------------------------------------------------------ refused in a transaction block

    @Test
    void aBareConcurrentIndexBuildInTheMiddleAppliesInOneCallWhereDrizzleFailsWith25001(@TempDir Path dir) throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("accounts", "CREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL);",
                        "INSERT INTO accounts SELECT g, 'user' || g || '@example.com' FROM generate_series(1, 1000) g;")
                .migration("email_index", "CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);")
                .migration("sessions", "CREATE TABLE sessions (id int PRIMARY KEY, account int REFERENCES accounts (id));")
                .write();
        try (TestDatabase ours = TestDatabase.create("mellon_prod_cic"); TestDatabase theirs = TestDatabase.create("mellon_prod_cic_dz")) {
            try (ServiceProcess service = ServiceProcess.start(ours.database(), folder)) {
                HttpResponse<String> apply = service.post("/migrations/apply", null);
                assertEquals(200, apply.statusCode(), apply.body());
                JsonNode body = json.readTree(apply.body());
                assertEquals(List.of("transaction", "no-transaction", "transaction"), texts(body.get("applied"), "mode"));
                assertTrue(texts(body, "warnings").stream().noneMatch(w -> w.contains("INVALID")), apply.body());
                assertEquals(3, json.readTree(service.get("/migrations").body()).get("counts").get("applied").asInt());
            }
            try (Connection c = ours.database().connect()) {
                assertEquals(List.of("accounts_email_idx true"), indexValidity(c, "accounts_email_idx"));
                assertEquals(3, Catalog.trackingRows(c).size());
                assertTrue(Catalog.exists(c, "public.sessions"));
            }

            IllegalStateException drizzle = assertThrows(IllegalStateException.class,
                    () -> DrizzleOrm.migrate(theirs.database(), folder));
            assertTrue(drizzle.getMessage().contains("25001") || drizzle.getMessage().contains("cannot run inside a transaction block"),
                    drizzle.getMessage());
            try (Connection c = theirs.database().connect()) {
                assertEquals(List.of(), Catalog.trackingRows(c), "drizzle's batch transaction rolled back whole");
                assertFalse(Catalog.exists(c, "public.accounts"));
            }
        }
    }

    @Test
    void anEnumValueTheNextMigrationUsesAppliesInOneCallWhereDrizzleFailsWith55P04(@TempDir Path dir) throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("status", "CREATE TYPE order_status AS ENUM ('open', 'closed');",
                        "CREATE TABLE orders (id int PRIMARY KEY, status order_status NOT NULL DEFAULT 'open');")
                .migration("add_value", "ALTER TYPE order_status ADD VALUE 'cancelled';")
                .migration("use_value", "INSERT INTO orders VALUES (1, 'cancelled');",
                        "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'cancelled';")
                .write();
        try (TestDatabase ours = TestDatabase.create("mellon_prod_enum"); TestDatabase theirs = TestDatabase.create("mellon_prod_enum_dz")) {
            try (ServiceProcess service = ServiceProcess.start(ours.database(), folder)) {
                HttpResponse<String> apply = service.post("/migrations/apply", null);
                assertEquals(200, apply.statusCode(), apply.body());
                assertEquals(3, json.readTree(apply.body()).get("applied").size());
            }
            try (Connection c = ours.database().connect()) {
                assertEquals(List.of("1 cancelled"), Catalog.strings(c, "select id || ' ' || status from orders"));
                assertEquals(3, Catalog.trackingRows(c).size());
            }

            int major;
            try (Connection c = theirs.database().connect()) {
                major = (int) Catalog.count(c, "select current_setting('server_version_num')::int / 10000");
            }
            if (major < 17) {
                IllegalStateException drizzle = assertThrows(IllegalStateException.class,
                        () -> DrizzleOrm.migrate(theirs.database(), folder));
                assertTrue(drizzle.getMessage().contains("55P04") || drizzle.getMessage().contains("unsafe use of new value"),
                        drizzle.getMessage());
                try (Connection c = theirs.database().connect()) {
                    assertEquals(List.of(), Catalog.trackingRows(c));
                }
            } else {
                // PostgreSQL 17 lets a transaction use a value it added to a type it also created: drizzle's one
                // transaction gets through there. Ours commits after the value either way.
                DrizzleOrm.migrate(theirs.database(), folder);
                try (Connection c = theirs.database().connect()) {
                    assertEquals(3, Catalog.trackingRows(c).size());
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- kill -9

    @Test
    void killDuringALongConcurrentBuildThenResumeEndsWithAValidIndexAndOneRow(@TempDir Path dir) throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("items", SLOW_FUNCTION, "CREATE TABLE items (a int NOT NULL);",
                        "INSERT INTO items SELECT g FROM generate_series(1, " + SLOW_ROWS + ") g;")
                .migration("slow_index", "CREATE TABLE build_log (note text);",
                        "CREATE INDEX CONCURRENTLY items_slow_idx ON items (slow(a));",
                        "INSERT INTO build_log VALUES ('after the build');")
                .migration("after", "CREATE TABLE later (a int);")
                .write();
        String slowTag = "0001_slow_index";
        try (TestDatabase database = TestDatabase.create("mellon_prod_kill"); Connection c = database.database().connect()) {
            TestDatabase.Database db = database.database();
            ServiceProcess victim = ServiceProcess.start(db, folder);
            try {
                CompletableFuture<HttpResponse<String>> doomed = CompletableFuture.supplyAsync(() -> victim.post("/migrations/apply", null));
                awaitActive(c, db.name(), "CREATE INDEX CONCURRENTLY items_slow_idx%", 30_000);
                Thread.sleep(1500);
                assertFalse(doomed.isDone(), "the build takes seconds");
                victim.kill();
            } finally {
                victim.close();
            }
            awaitNoServiceSession(c, db.name(), 30_000);
            assertEquals(List.of("items_slow_idx false"), indexValidity(c, "items_slow_idx"),
                    "the killed concurrent build left its index INVALID");

            try (ServiceProcess service = ServiceProcess.start(db, folder)) {
                JsonNode entry = migration(json.readTree(service.get("/migrations").body()), slowTag);
                assertEquals("interrupted", entry.get("status").asText(), entry.toString());
                assertEquals(1, entry.get("statementsDone").asInt(), "the table before the build is done");
                assertEquals(3, entry.get("statementsTotal").asInt());

                JsonNode check = json.readTree(service.get("/migrations/check?database=true").body());
                assertFalse(check.get("ok").asBoolean(), check.toString());
                assertTrue(check.get("errors").asInt() >= 1);
                assertEquals(1, check.get("invalidIndexes").size(), check.toString());
                JsonNode invalid = check.get("invalidIndexes").get(0);
                assertEquals(List.of("public", "items", "items_slow_idx", slowTag), List.of(invalid.get("schema").asText(),
                        invalid.get("table").asText(), invalid.get("index").asText(), invalid.get("migration").asText()));
                JsonNode finding = findingWithCode(check, "invalid-index");
                assertEquals("error", finding.get("severity").asText());
                assertEquals(slowTag + ".sql", finding.get("file").asText());
                assertFalse(json.readTree(service.get("/migrations/check").body()).has("invalidIndexes"),
                        "without database=true the database is not asked");
                HttpResponse<String> badFlag = service.get("/migrations/check?database=maybe");
                assertEquals(400, badFlag.statusCode(), badFlag.body());
                assertEquals("database", json.readTree(badFlag.body()).get("field").asText());

                HttpResponse<String> refused = service.post("/migrations/apply", null);
                assertEquals(409, refused.statusCode(), refused.body());
                JsonNode problem = json.readTree(refused.body());
                assertEquals(TYPES + "migration-interrupted", problem.get("type").asText());
                assertEquals("resume", problem.get("allowWith").asText());
                assertEquals(slowTag, problem.get("migrations").get(0).get("tag").asText());

                HttpResponse<String> resumed = service.post("/migrations/apply", "{\"resume\": true}");
                assertEquals(200, resumed.statusCode(), resumed.body());
                JsonNode body = json.readTree(resumed.body());
                assertEquals(List.of(slowTag, "0002_after"), texts(body.get("applied"), "tag"));
                assertEquals(1, body.get("applied").get(0).get("resumedFrom").asInt());
                assertTrue(body.get("applied").get(0).get("millis").asLong() >= 3000,
                        "the build is slow enough for the kill to land inside it: " + resumed.body());
                assertTrue(texts(body, "warnings").stream().noneMatch(w -> w.contains("INVALID")),
                        "resume replaced the invalid index: " + resumed.body());

                JsonNode after = json.readTree(service.get("/migrations/check?database=true").body());
                assertEquals(0, after.get("invalidIndexes").size(), after.toString());
                assertEquals(check.get("errors").asInt() - 1, after.get("errors").asInt(), after.toString());
            }
            assertEquals(List.of("items_slow_idx true"), indexValidity(c, "items_slow_idx"));
            assertEquals(3, Catalog.trackingRows(c).size());
            assertEquals(0, Catalog.count(c, "select count(*) from (select created_at from drizzle.__drizzle_migrations"
                    + " group by created_at having count(*) > 1) twice"), "exactly one tracking row per migration");
            assertEquals(List.of("after the build"), Catalog.strings(c, "select note from build_log"));
            assertEquals(0, Catalog.count(c, "select count(*) from drizzle.__mellon_migrator_audit_progress"));
        }
    }

    /**
     * The kill lands in the statement after the build, the migration's last: the build stays done (the same index,
     * not rebuilt) and resume runs only the last statement. A kill after the last statement and before the tracking
     * row is covered by NonTransactionalApplyTest.aRunThatDiedAfterTheLastStatementIsResumedWithoutRunningAnythingAgain.
     */
    @Test
    void killDuringTheLastStatementAfterABuildResumesWithoutRebuilding(@TempDir Path dir) throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("items", "CREATE TABLE items (a int NOT NULL);",
                        "INSERT INTO items SELECT g FROM generate_series(1, 1000) g;")
                .migration("index_then_wait", "CREATE INDEX CONCURRENTLY items_a_idx ON items (a);", "SELECT pg_sleep(5);")
                .write();
        String tag = "0001_index_then_wait";
        try (TestDatabase database = TestDatabase.create("mellon_prod_kill_last"); Connection c = database.database().connect()) {
            TestDatabase.Database db = database.database();
            ServiceProcess victim = ServiceProcess.start(db, folder);
            try {
                CompletableFuture.supplyAsync(() -> victim.post("/migrations/apply", null));
                awaitActive(c, db.name(), "SELECT pg_sleep(5)%", 30_000);
                Thread.sleep(500);
                victim.kill();
            } finally {
                victim.close();
            }
            awaitNoServiceSession(c, db.name(), 30_000);
            List<String> indexOid = Catalog.strings(c, "select 'items_a_idx'::regclass::oid::text");
            assertEquals(List.of("items_a_idx true"), indexValidity(c, "items_a_idx"));

            try (ServiceProcess service = ServiceProcess.start(db, folder)) {
                JsonNode entry = migration(json.readTree(service.get("/migrations").body()), tag);
                assertEquals("interrupted", entry.get("status").asText());
                assertEquals(1, entry.get("statementsDone").asInt());
                assertEquals(2, entry.get("statementsTotal").asInt());
                assertEquals(409, service.post("/migrations/apply", "{}").statusCode());
                HttpResponse<String> resumed = service.post("/migrations/apply", "{\"resume\": true}");
                assertEquals(200, resumed.statusCode(), resumed.body());
                assertEquals(1, json.readTree(resumed.body()).get("applied").get(0).get("resumedFrom").asInt());
            }
            assertEquals(indexOid, Catalog.strings(c, "select 'items_a_idx'::regclass::oid::text"), "the build did not run again");
            assertEquals(List.of("items_a_idx true"), indexValidity(c, "items_a_idx"));
            assertEquals(2, Catalog.trackingRows(c).size());
        }
    }

    // ------------------------------------------------------------------------ a history with hand-written escapes

    @Test
    void aHistoryWithCommitEscapesEndsLikeDrizzlesAndAFailureAfterAnEscapeResumes(@TempDir Path dir) throws Exception {
        FolderBuilder builder = escapeHistory(new FolderBuilder(dir.resolve("folder")));
        Path folder = builder.write();
        try (TestDatabase ours = TestDatabase.create("mellon_prod_escapes"); TestDatabase theirs = TestDatabase.create("mellon_prod_escapes_dz");
             Connection oc = ours.database().connect(); Connection tc = theirs.database().connect()) {
            DrizzleOrm.migrate(theirs.database(), folder);
            try (ServiceProcess service = ServiceProcess.start(ours.database(), folder)) {
                HttpResponse<String> apply = service.post("/migrations/apply", null);
                assertEquals(200, apply.statusCode(), apply.body());
                JsonNode body = json.readTree(apply.body());
                assertEquals(20, body.get("applied").size());
                List<String> modes = texts(body.get("applied"), "mode");
                assertEquals(5, modes.stream().filter("self-managed"::equals).count(), modes.toString());
                assertEquals(15, modes.stream().filter("transaction"::equals).count(), modes.toString());
            }
            assertEquals(Catalog.trackingRows(tc), Catalog.trackingRows(oc), "the same (hash, created_at) rows in the same order");
            assertEquals(userState(tc), userState(oc));
            assertEquals(20, Catalog.trackingRows(oc).size());
            assertEquals(0, Catalog.count(oc, "select count(*) from pg_index where not indisvalid"));

            // Three more: a plain one, an escape whose third statement fails, a plain one.
            String broken = "INSERT INTO events (kind, amount) VALUES ('refund', 1 / 0);";
            String fixed = "INSERT INTO events (kind, amount) VALUES ('refund', 1);";
            addFailureTail(builder, broken);
            builder.write();
            try (ServiceProcess service = ServiceProcess.start(ours.database(), folder)) {
                HttpResponse<String> failed = service.post("/migrations/apply", null);
                assertEquals(422, failed.statusCode(), failed.body());
                JsonNode problem = json.readTree(failed.body());
                assertEquals(TYPES + "migration-failed", problem.get("type").asText());
                assertEquals("22012", problem.get("sqlState").asText());
                assertEquals("0021_refund_index", problem.get("tag").asText());
                assertEquals(3, problem.get("statementIndex").asInt());
                assertEquals(List.of("0020_refunds"), texts(problem, "committed"));
                JsonNode interrupted = problem.get("interrupted");
                assertEquals("0021_refund_index", interrupted.get("tag").asText(), problem.toString());
                assertEquals("self-managed", interrupted.get("mode").asText());
                assertEquals(2, interrupted.get("statementsDone").asInt(), "COMMIT and the build stay done");
                assertEquals(4, interrupted.get("statementsTotal").asInt());
                assertTrue(problem.get("detail").asText().contains("2 of 4 statements stay done"), problem.get("detail").asText());
                assertEquals("interrupted", migration(json.readTree(service.get("/migrations").body()), "0021_refund_index")
                        .get("status").asText());
                assertEquals(409, service.post("/migrations/apply", null).statusCode());

                // The fix, then resume: drizzle applies the fixed tail to its own database.
                builder.replace(21, refundIndex(fixed)).write();
                HttpResponse<String> resumed = service.post("/migrations/apply", "{\"resume\": true}");
                assertEquals(200, resumed.statusCode(), resumed.body());
                JsonNode body = json.readTree(resumed.body());
                assertEquals(List.of("0021_refund_index", "0022_after_refunds"), texts(body.get("applied"), "tag"));
                assertEquals(2, body.get("applied").get(0).get("resumedFrom").asInt());
            }
            DrizzleOrm.migrate(theirs.database(), folder);
            assertEquals(Catalog.trackingRows(tc), Catalog.trackingRows(oc), "the fixed file's hash, once, in journal order");
            assertEquals(23, Catalog.trackingRows(oc).size());
            assertEquals(userState(tc), userState(oc));
            assertEquals(List.of("refund 1"), Catalog.strings(oc, "select kind || ' ' || amount from events where kind = 'refund'"),
                    "the statements done before the failure ran once");
            assertEquals(0, Catalog.count(oc, "select count(*) from pg_index where not indisvalid"));
        }
    }

    /**
     * About 20 migrations as a large production history has them: ordinary generated ones in drizzle's batch
     * transaction, and every fourth one escaping it by hand with {@code COMMIT;} to build indexes concurrently.
     */
    private static FolderBuilder escapeHistory(FolderBuilder builder) {
        for (int i = 0; i < 20; i++) {
            String table = "t" + (i / 4);
            switch (i % 4) {
                case 0 -> builder.migration("create_" + table,
                        "CREATE TABLE " + table + " (id serial PRIMARY KEY, name text NOT NULL, score int);",
                        "INSERT INTO " + table + " (name, score) SELECT 'n' || g, g % 7 FROM generate_series(1, 500) g;");
                case 1 -> builder.migration("alter_" + table,
                        "ALTER TABLE " + table + " ADD COLUMN version int NOT NULL DEFAULT 1;",
                        "UPDATE " + table + " SET score = score + 1 WHERE score = 0;");
                case 2 -> builder.migration("index_" + table,
                        "COMMIT;",
                        "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + table + "_name_idx ON " + table + " (name);",
                        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " + table + "_name_score_key ON " + table + " (name, score);");
                default -> builder.migration("view_" + table,
                        "CREATE VIEW " + table + "_top AS SELECT name FROM " + table + " WHERE score > 5;",
                        i == 3 ? "CREATE TABLE events (id serial PRIMARY KEY, kind text NOT NULL, amount int);"
                                : "INSERT INTO events (kind, amount) VALUES ('migration', " + i + ");");
            }
        }
        return builder;
    }

    private static String[] refundIndex(String third) {
        return new String[] {"COMMIT;", "CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON events (kind);", third,
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS events_refunded_idx ON events (refunded);"};
    }

    private static void addFailureTail(FolderBuilder builder, String third) {
        builder.migration("refunds", "ALTER TABLE events ADD COLUMN refunded boolean DEFAULT false;");
        builder.migration("refund_index", refundIndex(third));
        builder.migration("after_refunds", "CREATE TABLE refund_notes (id int PRIMARY KEY, note text);");
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** {@link Catalog#state} without this service's own audit tables, which drizzle does not have. */
    private static List<String> userState(Connection c) throws SQLException {
        List<String> state = new ArrayList<>(Catalog.state(c).stream().filter(line -> !line.contains("__mellon_migrator")).toList());
        state.addAll(Catalog.strings(c, "select 'valid ' || c.relname || ' ' || i.indisvalid from pg_index i"
                + " join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname = 'public' order by 1"));
        state.addAll(Catalog.strings(c, "select 'view ' || viewname || ' ' || definition from pg_views where schemaname = 'public' order by 1"));
        return state;
    }

    private static List<String> indexValidity(Connection c, String index) throws SQLException {
        return Catalog.strings(c, "select c.relname || ' ' || i.indisvalid from pg_index i join pg_class c on c.oid = i.indexrelid"
                + " where c.relname = '" + index + "'");
    }

    /** Waits until a session of {@code database} actively runs a query like {@code pattern}. */
    private static void awaitActive(Connection c, String database, String pattern, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (Catalog.count(c, "select count(*) from pg_stat_activity where datname = '" + database + "' and state = 'active'"
                    + " and query like '" + pattern.replace("'", "''") + "'") > 0) {
                return;
            }
            Thread.sleep(50);
        }
        fail("No session ran " + pattern + " within " + timeoutMillis + " ms");
    }

    /** Waits until the killed service's sessions are gone: the server noticed the vanished client and rolled back. */
    private static void awaitNoServiceSession(Connection c, String database, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (Catalog.count(c, "select count(*) from pg_stat_activity where datname = '" + database + "'"
                    + " and pid <> pg_backend_pid() and backend_type = 'client backend'") == 0) {
                return;
            }
            Thread.sleep(100);
        }
        fail("The killed service's sessions were still there after " + timeoutMillis + " ms");
    }

    private static JsonNode migration(JsonNode history, String tag) {
        for (JsonNode m : history.get("migrations")) {
            if (m.get("tag").asText().equals(tag)) {
                return m;
            }
        }
        throw new AssertionError("No migration " + tag + " in " + history);
    }

    private static JsonNode findingWithCode(JsonNode check, String code) {
        for (JsonNode f : check.get("findings")) {
            if (f.get("code").asText().equals(code)) {
                return f;
            }
        }
        throw new AssertionError("No finding " + code + " in " + check);
    }

    private static List<String> texts(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        JsonNode array = node.isArray() ? node : node.get(field);
        if (array == null) {
            return out;
        }
        for (JsonNode element : array) {
            out.add(node.isArray() ? element.get(field).asText() : element.asText());
        }
        return out;
    }
}
