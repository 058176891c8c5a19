package dev.mellon.migrator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.Prerequisites;
import dev.mellon.migrator.testing.PrivatePostgres;
import dev.mellon.migrator.testing.ServiceProcess;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Faults during applies, against the packaged service as a separate process: {@code kill -9} at random points, the
 * PostgreSQL server restarted mid-apply, the database unreachable at start, and the apply session terminated while idle
 * in a transaction. Sized by system properties so CI runs a short version and {@code -Pfaults} (see
 * {@code .ci/faults}) a long one: {@code faults.kills} (default 3) kill rounds, {@code faults.seed} to repeat a run.
 */
@ExtendWith(FaultSuiteIT.Tally.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {

    private static final int KILLS = Integer.getInteger("faults.kills", 3);
    private static final long SEED = Long.getLong("faults.seed", System.nanoTime() ^ System.currentTimeMillis());
    private static final int MIGRATIONS = 12;
    private static final int ROWS = 6;
    private static final String TYPES = "https://mellon-migrator.dev/problems/";

    private final ObjectMapper json = new ObjectMapper();

    // ---------------------------------------------------------------------------------------------------- kill -9

    @Test
    @Order(1)
    void killAtRandomPointsLeavesEveryMigrationWholeOrAbsentAndTheRestApplies(@TempDir Path dir) throws Exception {
        Random random = new Random(SEED);
        log("kill -9: %d rounds, seed %d (repeat with -Dfaults.seed=%d)", KILLS, SEED, SEED);
        FolderBuilder builder = new FolderBuilder(dir);
        for (int k = 0; k < MIGRATIONS; k++) {
            List<String> statements = new ArrayList<>();
            statements.add("CREATE TABLE t_" + k + " (id int PRIMARY KEY, v text NOT NULL)");
            for (int i = 1; i <= ROWS; i++) {
                statements.add("INSERT INTO t_" + k + " (id, v) VALUES (" + i + ", '" + k + "-" + i + "')");
                if (i == ROWS / 2) {
                    // Mid-migration: a kill here lands inside a statement with earlier ones already run.
                    statements.add(String.format("SELECT pg_sleep(%.2f)", 0.05 + random.nextInt(4) * 0.05));
                }
            }
            statements.add("CREATE INDEX t_" + k + "_v_idx ON t_" + k + " (v)");
            // Last statement: a kill here lands after all of the migration's work and before its tracking row.
            statements.add("SELECT pg_sleep(0.02)");
            builder.migration("m" + k, statements.toArray(String[]::new));
        }
        Path folder = builder.write();
        List<Entry> journal = journal(folder);

        try (TestDatabase database = TestDatabase.create("mellon_faults_kill");
             Connection c = database.database().connect()) {
            TestDatabase.Database db = database.database();
            ServiceProcess victim = ServiceProcess.start(db, folder);
            List<String> failures = new ArrayList<>();
            Map<String, Integer> landings = new LinkedHashMap<>();
            try {
                // One undisturbed apply first: how long a whole apply takes here, so the kills spread over all of it.
                long t0 = System.nanoTime();
                HttpResponse<String> calibration = victim.post("/migrations/apply", null);
                long applyMillis = millisSince(t0);
                assertEquals(200, calibration.statusCode(), "the undisturbed apply: " + calibration.body());
                assertEquals(null, consistency(c, journal, presentMigrations(c, journal), "all"), "after the undisturbed apply");
                reset(c);
                int killWindow = (int) Math.max(300, applyMillis * 21 / 20);
                log("kill -9: an undisturbed apply takes %d ms; kills land uniformly in the first %d ms", applyMillis, killWindow);
                for (int round = 1; round <= KILLS; round++) {
                    String mode = round % 2 == 1 ? "all" : "each";
                    int delay = 20 + random.nextInt(killWindow);
                    ServiceProcess target = victim;
                    long started = System.nanoTime();
                    CompletableFuture<HttpResponse<String>> doomed = CompletableFuture.supplyAsync(
                            () -> target.post("/migrations/apply", "{\"transaction\": \"" + mode + "\"}"));
                    sleepUntil(started + TimeUnit.MILLISECONDS.toNanos(delay));
                    String landing = applyingSession(c);
                    boolean answeredBeforeKill = doomed.isDone();
                    victim.kill();
                    String answer = doomed.handle((r, e) -> e == null ? "answered " + r.statusCode() : "no answer").get(30, TimeUnit.SECONDS);
                    if (!answeredBeforeKill && answer.startsWith("answered")) {
                        landing = "answered while being killed";
                    }
                    if (answeredBeforeKill) {
                        landing = "after the apply finished";
                    }
                    landings.merge(landing.replaceAll("\\(.*", "").replaceAll("[0-9]+", "N"), 1, Integer::sum);

                    long lockWait = awaitLockFree(c, 30_000);
                    List<Integer> present = presentMigrations(c, journal);
                    log("round %d/%d mode %s: killed after %d ms while %s (%s); lock free %d ms later; %d of %d migrations present",
                            round, KILLS, mode, delay, landing, answer, lockWait, present.size(), MIGRATIONS);
                    String wrong = consistency(c, journal, present, mode);
                    if (wrong != null) {
                        failures.add("round " + round + " (mode " + mode + ", kill after " + delay + " ms while " + landing + "): " + wrong);
                        log("round %d INCONSISTENT: %s", round, wrong);
                    }

                    ServiceProcess next = ServiceProcess.start(db, folder);
                    victim = next;
                    HttpResponse<String> apply = next.post("/migrations/apply", "{\"transaction\": \"" + mode + "\", \"wait\": \"PT30S\"}");
                    assertEquals(200, apply.statusCode(), "round " + round + ": the apply after the kill: " + apply.body());
                    JsonNode reply = json.readTree(apply.body());
                    assertEquals(MIGRATIONS - present.size(), reply.get("applied").size(),
                            "round " + round + ": the retry must apply exactly what the kill left out: " + apply.body());
                    List<Integer> after = presentMigrations(c, journal);
                    assertEquals(MIGRATIONS, after.size(), "round " + round + ": after the retry every migration must be present");
                    String wrongAfter = consistency(c, journal, after, mode);
                    assertEquals(null, wrongAfter, "round " + round + " after the retry");
                    reset(c);
                }
            } finally {
                victim.close();
            }
            log("kill -9: where the kills landed: %s", landings);
            assertTrue(failures.isEmpty(), failures.size() + " of " + KILLS + " rounds left an inconsistent database (seed "
                    + SEED + "):\n" + String.join("\n", failures));
        }
    }

    /** What the apply session was doing at the moment of the kill, from pg_stat_activity. */
    private static String applyingSession(Connection c) throws SQLException {
        List<String> rows = Catalog.strings(c, "select state || ': ' || left(btrim(regexp_replace(query, '\\s+', ' ', 'g')), 50) "
                + "from pg_stat_activity where datname = current_database() and application_name like 'mellon-migrator applying%'");
        if (rows.isEmpty()) {
            return "no apply session (starting or done)";
        }
        String row = rows.get(0);
        if (row.startsWith("active: SELECT pg_sleep(0.02)")) {
            return "in a migration's last statement, before its tracking row";
        }
        if (row.startsWith("active: SELECT pg_sleep")) {
            return "mid-migration, inside a statement";
        }
        if (row.contains("__drizzle_migrations") || row.contains("__mellon_migrator_audit")) {
            return "writing tracking/audit rows (" + row + ")";
        }
        if (row.startsWith("idle in transaction")) {
            return "between statements in a transaction (" + row + ")";
        }
        if (row.startsWith("idle")) {
            return "idle outside a transaction, e.g. between migrations in mode each (" + row + ")";
        }
        return "running (" + row + ")";
    }

    /** The indexes of the migrations whose table exists; wholeness is checked by {@link #consistency}. */
    private static List<Integer> presentMigrations(Connection c, List<Entry> journal) throws SQLException {
        List<Integer> present = new ArrayList<>();
        for (int k = 0; k < journal.size(); k++) {
            if (Catalog.exists(c, "public.t_" + k)) {
                present.add(k);
            }
        }
        return present;
    }

    /** Null when consistent, else what is wrong. */
    private static String consistency(Connection c, List<Entry> journal, List<Integer> present, String mode) throws SQLException {
        List<String> problems = new ArrayList<>();
        for (int k = 0; k < journal.size(); k++) {
            boolean table = Catalog.exists(c, "public.t_" + k);
            boolean index = Catalog.exists(c, "public.t_" + k + "_v_idx");
            if (!table) {
                if (index) {
                    problems.add("t_" + k + "_v_idx exists without its table");
                }
                continue;
            }
            String rows = Catalog.strings(c, "select coalesce(string_agg(id || '=' || v, ',' order by id), '') from t_" + k).get(0);
            StringBuilder expected = new StringBuilder();
            for (int i = 1; i <= ROWS; i++) {
                expected.append(i == 1 ? "" : ",").append(i).append('=').append(k).append('-').append(i);
            }
            if (!rows.equals(expected.toString())) {
                problems.add("t_" + k + " is half-applied: rows [" + rows + "], expected [" + expected + "]");
            }
            if (!index) {
                problems.add("t_" + k + " is half-applied: its index t_" + k + "_v_idx is missing");
            }
        }
        List<String> trackingRows = Catalog.trackingRows(c);
        Set<String> tracked = new TreeSet<>(trackingRows);
        if (tracked.size() != trackingRows.size()) {
            problems.add("duplicate tracking rows: " + trackingRows);
        }
        Set<String> expectedRows = new TreeSet<>();
        for (int k : present) {
            expectedRows.add(journal.get(k).hash + " " + journal.get(k).when);
        }
        if (!tracked.equals(expectedRows)) {
            Set<String> missing = new TreeSet<>(expectedRows);
            missing.removeAll(tracked);
            Set<String> extra = new TreeSet<>(tracked);
            extra.removeAll(expectedRows);
            problems.add("tracking rows do not match the migrations present " + present + ": rows missing for present "
                    + "migrations " + tagsOf(journal, missing) + ", rows of absent migrations " + tagsOf(journal, extra));
        }
        if (Catalog.exists(c, "drizzle.__mellon_migrator_audit")) {
            List<String> audited = Catalog.strings(c, "select tag from drizzle.__mellon_migrator_audit order by tag");
            List<String> expectedAudit = present.stream().map(k -> journal.get(k).tag).sorted().toList();
            if (!audited.equals(expectedAudit)) {
                problems.add("audit rows " + audited + " do not match the migrations present " + expectedAudit);
            }
        }
        if ("all".equals(mode) && !present.isEmpty() && present.size() != journal.size()) {
            problems.add("mode all must be all-or-nothing, but " + present.size() + " of " + journal.size() + " are present: " + present);
        }
        if ("each".equals(mode)) {
            for (int i = 0; i < present.size(); i++) {
                if (present.get(i) != i) {
                    problems.add("mode each must leave a prefix of the journal, but present are " + present);
                    break;
                }
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static List<String> tagsOf(List<Entry> journal, Set<String> rows) {
        List<String> out = new ArrayList<>();
        for (String row : rows) {
            out.add(journal.stream().filter(e -> row.equals(e.hash + " " + e.when)).map(Entry::tag).findFirst().orElse(row));
        }
        return out;
    }

    // ------------------------------------------------------------------------------ PostgreSQL restarted mid-apply

    @Test
    @Order(2)
    void postgresRestartedMidApplyAnswers503AndTheServiceRecoversWithoutRestart(@TempDir Path dir) throws Exception {
        Prerequisites.require(PrivatePostgres.available(), PrivatePostgres.description() + " are missing");
        Path folder = new FolderBuilder(dir)
                .migration("first", "CREATE TABLE r_first (id int)", "INSERT INTO r_first VALUES (1)")
                .migration("long", "CREATE TABLE r_long (id int)",
                        "SELECT pg_sleep(coalesce(nullif(current_setting('mellon.test_sleep', true), ''), '0')::float)")
                .write();
        List<Entry> journal = journal(folder);
        try (PrivatePostgres pg = PrivatePostgres.started()) {
            log("restart: private cluster %s", pg);
            pg.execute("CREATE DATABASE mellon", "ALTER DATABASE mellon SET mellon.test_sleep = '60'");
            TestDatabase.Database db = new TestDatabase.Database("mellon", pg.jdbcUrl("mellon"), "postgres", null);
            try (ServiceProcess service = ServiceProcess.start(db, folder)) {
                CompletableFuture<HttpResponse<String>> apply = CompletableFuture.supplyAsync(() -> service.post("/migrations/apply", null));
                try (Connection c = pg.connect("mellon")) {
                    awaitTrue(() -> Catalog.count(c, "select count(*) from pg_stat_activity where query like '%pg_sleep%' "
                            + "and application_name like 'mellon-migrator applying%'") > 0, 30_000, "the long migration never started");
                }
                long t0 = System.nanoTime();
                pg.restart("immediate");
                log("restart: pg_ctl restart -m immediate took %d ms", millisSince(t0));
                HttpResponse<String> answer = apply.get(90, TimeUnit.SECONDS);
                log("restart: the apply answered %d after %d ms: %s", answer.statusCode(), millisSince(t0), answer.body());
                // The probe reconnects while the server recovers, so the outcome is observed rather than unknown.
                JsonNode problem = assertProblem(answer, 503, "connection-lost");
                assertTrue(answer.headers().firstValue("Retry-After").isPresent(), "a 503 must carry Retry-After: " + answer.headers().map());
                assertTrue(problem.path("observed").asBoolean(), "connection-lost means the outcome was observed: " + answer.body());
                assertEquals(0, problem.path("committed").size(), "mode all: nothing can have committed: " + answer.body());
                assertEquals(2, problem.path("rolledBack").size(), "both migrations of the batch were rolled back: " + answer.body());
                try (Connection c = pg.connect("mellon")) {
                    assertFalse(Catalog.exists(c, "public.r_first"), "mode all: the crash must roll the whole batch back");
                    assertEquals(List.of(), Catalog.trackingRows(c), "no tracking row may survive the crash");
                }
                pg.execute("ALTER DATABASE mellon RESET mellon.test_sleep");

                long t1 = System.nanoTime();
                List<Integer> seen = new ArrayList<>();
                awaitTrue(() -> {
                    int status = service.get("/migrations").statusCode();
                    if (seen.isEmpty() || seen.get(seen.size() - 1) != status) {
                        seen.add(status);
                    }
                    return status == 200;
                }, 30_000, "GET /migrations did not answer 200 within 30 s of the restart (statuses seen: " + seen + ")");
                log("restart: GET /migrations 200 after %d ms without restarting the service (statuses seen: %s)", millisSince(t1), seen);
                HttpResponse<String> retry = service.post("/migrations/apply", "{\"wait\": \"PT30S\"}");
                assertEquals(200, retry.statusCode(), "the retry after the restart: " + retry.body());
                assertEquals(2, json.readTree(retry.body()).get("applied").size(), retry.body());
                try (Connection c = pg.connect("mellon")) {
                    assertTrue(Catalog.exists(c, "public.r_long"));
                    assertEquals(List.of(journal.get(0).hash + " " + journal.get(0).when, journal.get(1).hash + " " + journal.get(1).when),
                            Catalog.trackingRows(c));
                }
            }
        }
    }

    // ------------------------------------------------------------------------------ database unreachable at start

    @Test
    @Order(3)
    void databaseUnreachableAtStartKeepsTheServiceUpNotReadyUntilTheDatabaseComes(@TempDir Path dir) throws Exception {
        Prerequisites.require(PrivatePostgres.available(), PrivatePostgres.description() + " are missing");
        Path folder = new FolderBuilder(dir)
                .migration("first", "CREATE TABLE u_first (id int)")
                .migration("second", "ALTER TABLE u_first ADD COLUMN name text")
                .write();
        try (PrivatePostgres pg = PrivatePostgres.started()) {
            pg.execute("CREATE DATABASE mellon");
            pg.stop();
            log("unreachable: private cluster %s stopped; starting the service against it", pg);
            ServiceProcess service = ServiceProcess.launch(Map.of("DATABASE_URL", pg.postgresUrl("mellon"),
                    "MIGRATOR_FOLDER", folder.toAbsolutePath().toString()));
            try {
                long t0 = System.nanoTime();
                HttpResponse<String> ready = awaitAnswer(service, "/q/health/ready", 90_000);
                log("unreachable: listening after %d ms; readiness %d %s", millisSince(t0), ready.statusCode(), ready.body());
                assertEquals(503, ready.statusCode(), "readiness must be DOWN while the database is unreachable: " + ready.body());
                assertTrue(ready.body().contains("DOWN"), ready.body());
                HttpResponse<String> live = service.get("/q/health/live");
                assertEquals(200, live.statusCode(), "liveness does not depend on the database: " + live.body());
                HttpResponse<String> history = service.get("/migrations");
                log("unreachable: GET /migrations %d %s", history.statusCode(), history.body());
                assertProblem(history, 503, "database-unavailable");
                assertTrue(history.headers().firstValue("Retry-After").isPresent(), "503 without Retry-After: " + history.headers().map());
                assertTrue(service.process().isAlive(), "the service must stay up:\n" + service.output());

                pg.start();
                long t1 = System.nanoTime();
                awaitTrue(() -> service.get("/q/health/ready").statusCode() == 200, 30_000,
                        "readiness did not become UP within 30 s of the database starting");
                long readyAfter = millisSince(t1);
                awaitTrue(() -> service.get("/migrations").statusCode() == 200, 30_000,
                        "GET /migrations did not answer 200 within 30 s of the database starting");
                log("unreachable: database started; ready after %d ms, GET /migrations 200 after %d ms", readyAfter, millisSince(t1));
                HttpResponse<String> apply = service.post("/migrations/apply", null);
                assertEquals(200, apply.statusCode(), apply.body());
                assertEquals(2, json.readTree(apply.body()).get("applied").size(), apply.body());
            } finally {
                service.close();
            }
        }
    }

    // --------------------------------------------------------- apply session terminated while idle in transaction

    @Test
    @Order(4)
    void sessionTerminatedWhileIdleInTransactionIsObservedRolledBackAndRetryable(@TempDir Path dir) throws Exception {
        try (TestDatabase database = TestDatabase.create("mellon_faults_partition");
             Connection c = database.database().connect()) {
            TestDatabase.Database db = database.database();
            int statements = 3000;
            for (int attempt = 1; attempt <= 4; attempt++, statements *= 2) {
                reset(c);
                List<String> many = new ArrayList<>();
                many.add("create table p (k int)");
                for (int k = 0; k < statements; k++) {
                    many.add("insert into p values (" + k + ")");
                }
                Path folder = new FolderBuilder(dir.resolve("attempt-" + attempt))
                        .migration("setup", "create table p_setup (k int)")
                        .migration("many", many.toArray(String[]::new))
                        .write();
                List<Entry> journal = journal(folder);
                try (ServiceProcess service = ServiceProcess.start(db, folder)) {
                    CompletableFuture<HttpResponse<String>> apply = CompletableFuture.supplyAsync(
                            () -> service.post("/migrations/apply", "{\"transaction\": \"each\"}"));
                    Optional<String> cut = Optional.empty();
                    long deadline = System.currentTimeMillis() + 60_000;
                    try (PreparedStatement find = c.prepareStatement("select pid, left(btrim(query, E' \\n'), 40) from pg_stat_activity "
                            + "where datname = current_database() and application_name like 'mellon-migrator applying%' "
                            + "and state = 'idle in transaction' and btrim(query, E' \\n') like 'insert into p values%'");
                         PreparedStatement terminate = c.prepareStatement("select pg_terminate_backend(?)")) {
                        while (cut.isEmpty() && !apply.isDone() && System.currentTimeMillis() < deadline) {
                            try (ResultSet rs = find.executeQuery()) {
                                if (rs.next()) {
                                    int pid = rs.getInt(1);
                                    String last = rs.getString(2);
                                    terminate.setInt(1, pid);
                                    try (ResultSet t = terminate.executeQuery()) {
                                        t.next();
                                        if (t.getBoolean(1)) {
                                            cut = Optional.of("pid " + pid + " after '" + last + "'");
                                        }
                                    }
                                }
                            }
                        }
                    }
                    HttpResponse<String> answer = apply.get(120, TimeUnit.SECONDS);
                    if (cut.isEmpty()) {
                        log("partition attempt %d: missed the race with %d statements (the apply answered %d first); retrying with more",
                                attempt, statements, answer.statusCode());
                        continue;
                    }
                    log("partition attempt %d (%d statements): terminated the idle-in-transaction apply session %s; the apply answered %d: %s",
                            attempt, statements, cut.get(), answer.statusCode(), answer.body());
                    JsonNode problem = assertProblem(answer, 503, "connection-lost");
                    assertTrue(answer.headers().firstValue("Retry-After").isPresent(), "503 without Retry-After: " + answer.headers().map());
                    assertTrue(problem.path("observed").asBoolean(), "the outcome must have been observed: " + answer.body());
                    assertEquals(List.of(journal.get(1).tag), texts(problem.path("rolledBack")), "rolledBack: " + answer.body());
                    assertEquals(List.of(journal.get(0).tag), texts(problem.path("committed")),
                            "mode each: the first migration committed before the cut: " + answer.body());
                    log("partition: advisory lock free %d ms after the answer", awaitLockFree(c, 30_000));
                    assertFalse(Catalog.exists(c, "public.p"), "the cut migration's table must be rolled back");
                    assertEquals(List.of(journal.get(0).hash + " " + journal.get(0).when), Catalog.trackingRows(c),
                            "only the committed migration may have a tracking row");

                    HttpResponse<String> retry = service.post("/migrations/apply", "{\"transaction\": \"each\", \"wait\": \"PT30S\"}");
                    assertEquals(200, retry.statusCode(), "the retry: " + retry.body());
                    assertEquals(List.of(journal.get(1).tag), texts(json.readTree(retry.body()).path("applied"), "tag"), retry.body());
                    assertEquals(statements, Catalog.count(c, "select count(*) from p"));
                    assertEquals(2, Catalog.trackingRows(c).size());
                    return;
                }
            }
            fail("the apply finished before its session could be caught idle in a transaction, in 4 attempts up to "
                    + statements / 2 + " statements");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private record Entry(String tag, long when, String hash) {
    }

    private List<Entry> journal(Path folder) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : json.readTree(folder.resolve("meta/_journal.json").toFile()).get("entries")) {
            String tag = e.get("tag").asText();
            entries.add(new Entry(tag, e.get("when").asLong(), sha256(Files.readAllBytes(folder.resolve(tag + ".sql")))));
        }
        return entries;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until no advisory lock with two int4 keys (the migration lock's form) is held in this database. */
    private static long awaitLockFree(Connection c, long timeoutMillis) throws Exception {
        long t0 = System.nanoTime();
        awaitTrue(() -> Catalog.count(c, "select count(*) from pg_locks where locktype = 'advisory' and objsubid = 2 "
                + "and granted and database = (select oid from pg_database where datname = current_database())") == 0,
                timeoutMillis, "the advisory lock was not released within " + timeoutMillis + " ms");
        return millisSince(t0);
    }

    /** Back to an empty database: no tracking schema, an empty public schema. */
    private static void reset(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS drizzle CASCADE; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
        }
    }

    private JsonNode assertProblem(HttpResponse<String> response, int status, String... kinds) throws IOException {
        assertEquals(status, response.statusCode(), "expected a " + status + " " + String.join(" or ", kinds) + ": " + response.body());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(contentType.startsWith("application/problem+json"), "content type " + contentType + ": " + response.body());
        JsonNode problem = json.readTree(response.body());
        assertNotNull(problem.get("type"), response.body());
        String type = problem.get("type").asText();
        assertTrue(List.of(kinds).stream().anyMatch(k -> type.equals(TYPES + k)),
                "type " + type + ", expected one of " + List.of(kinds) + ": " + response.body());
        return problem;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.path("tag").asText()));
        return out;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    /** Polls {@code path} until the service answers at all (any status), failing if the process exits. */
    private static HttpResponse<String> awaitAnswer(ServiceProcess service, String path, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            if (!service.process().isAlive()) {
                fail("the service exited with " + service.process().exitValue() + " instead of staying up:\n" + service.output());
            }
            try {
                return service.get(path);
            } catch (UncheckedIOException notListening) {
                if (System.currentTimeMillis() > deadline) {
                    fail("the service did not answer " + path + " within " + timeoutMillis + " ms:\n" + service.output());
                }
                Thread.sleep(200);
            }
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check, long timeoutMillis, String message) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            boolean ok;
            try {
                ok = check.ok();
            } catch (UncheckedIOException | SQLException e) {
                ok = false;
            }
            if (ok) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                fail(message);
            }
            Thread.sleep(100);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    private static void log(String format, Object... args) {
        System.out.printf("[FaultSuite] " + format + "%n", args);
    }

    /** Counts the scenarios' results and prints one summary line when the class is done. */
    static final class Tally implements TestWatcher, AfterAllCallback {
        private final AtomicInteger passed = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicInteger skipped = new AtomicInteger();
        private final Set<String> failures = new HashSet<>();

        @Override
        public void testSuccessful(ExtensionContext context) {
            passed.incrementAndGet();
            System.out.println("[FaultSuite] PASSED " + context.getDisplayName());
        }

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed.incrementAndGet();
            failures.add(context.getDisplayName());
            System.out.println("[FaultSuite] FAILED " + context.getDisplayName() + ": " + cause);
        }

        @Override
        public void testAborted(ExtensionContext context, Throwable cause) {
            skipped.incrementAndGet();
            System.out.println("[FaultSuite] SKIPPED " + context.getDisplayName() + ": " + cause.getMessage());
        }

        @Override
        public void afterAll(ExtensionContext context) {
            System.out.println("FaultSuite: " + passed.get() + " passed, " + failed.get() + " failed"
                    + (skipped.get() > 0 ? " (" + skipped.get() + " skipped)" : "")
                    + (failures.isEmpty() ? "" : " " + new TreeSet<>(failures)));
        }
    }
}
