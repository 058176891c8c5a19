package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.core.TransactionMode;
import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.StatusReport;
import dev.mellon.migrator.engine.history.TrackingRow;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.lock.LockNotAcquiredException;
import dev.mellon.migrator.engine.lock.LockStatus;
import dev.mellon.migrator.engine.lock.PostgresSessions;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine against a real PostgreSQL, one fresh database per test. */
class MigratorTest {

    @TempDir
    Path dir;

    private TestDatabase database;
    private TestDatabase.Database db;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create("mellon_engine");
        db = database.database();
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    static Migrator migrator(TestDatabase.Database db, Path folder, TrackingTable table) {
        PGSimpleDataSource pool = new PGSimpleDataSource();
        pool.setUrl(db.jdbcUrl());
        pool.setUser(db.user());
        pool.setPassword(db.password());
        return new Migrator(folder, new FolderReader(), pool,
                PostgresSessions.simpleProtocol(db.jdbcUrl(), db.user(), db.password()), table);
    }

    private Migrator migrator(Path folder) {
        return migrator(db, folder, TrackingTable.defaults());
    }

    private static final RunContext TEST = RunContext.of("test");

    private FolderBuilder fiveWithFailingThird() {
        return new FolderBuilder(dir)
                .migration("one", "CREATE TABLE one (id int primary key);")
                .migration("two", "CREATE TABLE two (id int);", "INSERT INTO two VALUES (1);")
                .migration("three", "CREATE TABLE three (id int);", "ALTER TABLE three ADD COLUMN id int;")
                .migration("four", "CREATE TABLE four (id int);")
                .migration("five", "CREATE TABLE five (id int);");
    }

    @Test
    void appliesEverythingOnceWithDrizzlesRows() throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("one", "CREATE TABLE one (id int);")
                .migration("two", "ALTER TABLE one ADD COLUMN name text;", "INSERT INTO one VALUES (1, 'a');")
                .write();
        Migrator migrator = migrator(folder);
        ApplyResult first = migrator.apply(ApplyOptions.defaults(), TEST);
        assertEquals(List.of("0000_one", "0001_two"), first.applied().stream().map(AppliedMigration::tag).toList());

        MigrationFolder read = migrator.folder();
        try (Connection c = db.connect()) {
            assertEquals(List.of(read.migrations().get(0).hash() + " " + read.migrations().get(0).when(),
                    read.migrations().get(1).hash() + " " + read.migrations().get(1).when()), Catalog.trackingRows(c));
            assertEquals(2, Catalog.count(c, "select count(*) from drizzle.__mellon_migrator_audit where action = 'applied'"));
        }
        ApplyResult second = migrator.apply(ApplyOptions.defaults(), TEST);
        assertTrue(second.applied().isEmpty());
        assertEquals(List.of("0000_one", "0001_two"), second.alreadyApplied());
        try (Connection c = db.connect()) {
            assertEquals(1, Catalog.count(c, "select count(*) from one"));
            assertEquals(2, Catalog.trackingRows(c).size());
        }
        assertTrue(migrator.status().migrations().stream().allMatch(s -> s.state() == MigrationState.APPLIED && s.appliedAt() != null));
    }

    @Test
    void failureInModeAllLeavesSchemaAndRowsExactlyAsBefore() throws Exception {
        Path folder = fiveWithFailingThird().write();
        List<String> before;
        try (Connection c = db.connect()) {
            before = Catalog.userObjects(c);
        }
        MigrationFailedException e = assertThrows(MigrationFailedException.class,
                () -> migrator(folder).apply(ApplyOptions.defaults(), TEST));
        assertEquals("0002_three", e.tag());
        assertEquals(2, e.statementIndex());
        assertEquals("ALTER TABLE three ADD COLUMN id int;", e.statementFirstLine());
        assertEquals("42701", e.sqlState());
        assertTrue(e.serverMessage().contains("already exists"), e.serverMessage());
        assertEquals(List.of(), e.committed());
        assertEquals(List.of("0000_one", "0001_two", "0002_three"), e.rolledBack());
        try (Connection c = db.connect()) {
            assertEquals(before, Catalog.userObjects(c));
            assertEquals(List.of(), Catalog.trackingRows(c));
        }
    }

    @Test
    void failureInModeEachKeepsTheMigrationsBeforeIt() throws Exception {
        Path folder = fiveWithFailingThird().write();
        MigrationFailedException e = assertThrows(MigrationFailedException.class,
                () -> migrator(folder).apply(ApplyOptions.defaults().withTransactionMode(TransactionMode.EACH), TEST));
        assertEquals(List.of("0000_one", "0001_two"), e.committed());
        assertEquals(List.of("0002_three"), e.rolledBack());
        try (Connection c = db.connect()) {
            assertEquals(2, Catalog.trackingRows(c).size());
            assertTrue(Catalog.exists(c, "public.two"));
            assertFalse(Catalog.exists(c, "public.three"));
            assertEquals(1, Catalog.count(c, "select count(*) from two"));
        }
        List<MigrationStatus> statuses = migrator(folder).status().migrations();
        assertEquals(List.of(MigrationState.APPLIED, MigrationState.APPLIED, MigrationState.PENDING, MigrationState.PENDING,
                MigrationState.PENDING), statuses.stream().map(MigrationStatus::state).toList());
    }

    @Test
    void editedAppliedFileIsRefusedUntilAllowedAndTheAcceptanceIsAudited() throws Exception {
        FolderBuilder builder = new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);");
        Path folder = builder.write();
        migrator(folder).apply(ApplyOptions.defaults(), TEST);
        java.nio.file.Files.writeString(folder.resolve("0000_one.sql"), "CREATE TABLE one (id bigint);");
        new FolderBuilder(dir).migration("one", "CREATE TABLE one (id bigint);").migration("two", "CREATE TABLE two (id int);").write();

        ApplyRefusedException refused = assertThrows(ApplyRefusedException.class,
                () -> migrator(folder).apply(ApplyOptions.defaults(), TEST));
        assertEquals(ApplyRefusedException.Reason.CHANGED, refused.reason());
        assertEquals(List.of("0000_one"), refused.offending().stream().map(MigrationStatus::tag).toList());
        try (Connection c = db.connect()) {
            assertFalse(Catalog.exists(c, "public.two"), "nothing runs when the apply is refused");
        }

        ApplyResult allowed = migrator(folder).apply(ApplyOptions.defaults().allowing(false, true), TEST);
        assertEquals(List.of("0001_two"), allowed.applied().stream().map(AppliedMigration::tag).toList());
        try (Connection c = db.connect()) {
            assertEquals(1, Catalog.count(c, "select count(*) from drizzle.__mellon_migrator_audit where action = 'accepted-change'"));
        }
        // Accepted once, the edit no longer blocks later applies, and drizzle's row keeps the original hash.
        assertEquals(MigrationState.APPLIED, migrator(folder).status().migrations().get(0).state());
        assertTrue(migrator(folder).apply(ApplyOptions.defaults(), TEST).applied().isEmpty());
    }

    @Test
    void entryBelowTheHighWaterMarkIsRefusedUntilAllowed() throws Exception {
        // A merged branch: 0001 was generated before 0002, but arrives after 0002 was applied.
        FolderBuilder builder = new FolderBuilder(dir)
                .migrationAt("main", 1_700_000_000_000L, "CREATE TABLE a (id int);")
                .migrationAt("branch", 1_700_000_005_000L, "CREATE TABLE b (id int);")
                .migrationAt("later", 1_700_000_010_000L, "CREATE TABLE c (id int);");
        Path folder = builder.write();
        // Simulate a database that applied 0000 and 0002 but never 0001.
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA drizzle; CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)");
            st.execute("CREATE TABLE a (id int); CREATE TABLE c (id int)");
            MigrationFolder read = new FolderReader().read(folder);
            st.execute("INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('" + read.migrations().get(0).hash()
                    + "', 1700000000000), ('" + read.migrations().get(2).hash() + "', 1700000010000)");
        }
        assertEquals(MigrationState.OUT_OF_ORDER, migrator(folder).status().migrations().get(1).state());
        ApplyRefusedException refused = assertThrows(ApplyRefusedException.class,
                () -> migrator(folder).apply(ApplyOptions.defaults(), TEST));
        assertEquals(ApplyRefusedException.Reason.OUT_OF_ORDER, refused.reason());
        assertTrue(refused.getMessage().contains("0001_branch"), refused.getMessage());

        ApplyResult allowed = migrator(folder).apply(ApplyOptions.defaults().allowing(true, false), TEST);
        assertEquals(List.of("0001_branch"), allowed.applied().stream().map(AppliedMigration::tag).toList());
        try (Connection c = db.connect()) {
            assertTrue(Catalog.exists(c, "public.b"));
            assertEquals(1, Catalog.count(c, "select count(*) from drizzle.__mellon_migrator_audit where action = 'applied-out-of-order'"));
        }
    }

    @Test
    void sameBytesRevertedThenAddedAgainAreRefusedAsMovedUntilAllowed() throws Exception {
        // 0000_first ran, was removed from the journal, and its bytes came back as 0003_again with a newer when.
        String firstSql = "CREATE TABLE IF NOT EXISTS seen (n int);" + FolderBuilder.BREAK + "INSERT INTO seen VALUES (1);";
        Path folder = new FolderBuilder(dir)
                .migrationAt("first", 1_700_000_000_000L, firstSql)
                .migrationAt("b", 1_700_000_001_000L, "CREATE TABLE b (id int);")
                .migrationAt("c", 1_700_000_002_000L, "CREATE TABLE c (id int);")
                .write();
        migrator(folder).apply(ApplyOptions.defaults(), TEST);
        java.nio.file.Files.writeString(folder.resolve("0003_again.sql"), firstSql);
        java.nio.file.Files.delete(folder.resolve("0000_first.sql"));
        java.nio.file.Files.writeString(folder.resolve("meta/_journal.json"), journal(
                "0001_b", 1_700_000_001_000L, "0002_c", 1_700_000_002_000L, "0003_again", 1_700_000_003_000L));

        MigrationStatus again = migrator(folder).status().migrations().get(2);
        assertEquals(MigrationState.MOVED, again.state(), "drizzle would run it: it must not count as applied");
        assertEquals(1_700_000_000_000L, again.row().createdAt());
        ApplyRefusedException refused = assertThrows(ApplyRefusedException.class,
                () -> migrator(folder).apply(ApplyOptions.defaults(), TEST));
        assertEquals(ApplyRefusedException.Reason.MOVED, refused.reason());
        assertEquals(List.of("0003_again"), refused.offending().stream().map(MigrationStatus::tag).toList());
        assertTrue(refused.getMessage().contains("1700000000000"), refused.getMessage());

        ApplyResult allowed = migrator(folder).apply(ApplyOptions.defaults().allowingMoved(true), TEST);
        assertEquals(List.of("0003_again"), allowed.applied().stream().map(AppliedMigration::tag).toList());
        try (Connection c = db.connect()) {
            assertEquals(2, Catalog.count(c, "select count(*) from seen"), "the SQL ran a second time, as drizzle would");
            assertEquals(2, Catalog.count(c, "select count(*) from drizzle.__drizzle_migrations where hash = '"
                    + again.migration().hash() + "'"));
            assertEquals(1, Catalog.count(c, "select count(*) from drizzle.__drizzle_migrations where created_at = 1700000003000"));
            assertEquals(1, Catalog.count(c, "select count(*) from drizzle.__mellon_migrator_audit where action = 'applied-moved'"));
        }
        StatusReport after = migrator(folder).status();
        assertEquals(MigrationState.APPLIED, after.migrations().get(2).state());
        assertEquals(List.of(1_700_000_000_000L), after.unknownRows().stream().map(TrackingRow::createdAt).toList());
    }

    @Test
    void failureInModeEachNamesTheEntriesItsCommittedPartStranded() throws Exception {
        Path folder = new FolderBuilder(dir)
                .migrationAt("a", 1_700_000_000_000L, "CREATE TABLE a (id int);")
                .migrationAt("b", 1_700_000_003_000L, "CREATE TABLE b (id int);")
                .migrationAt("c", 1_700_000_002_000L, "CREATE TABLE a (id int);")
                .write();
        MigrationFailedException e = assertThrows(MigrationFailedException.class,
                () -> migrator(folder).apply(ApplyOptions.defaults().withTransactionMode(TransactionMode.EACH), TEST));
        assertEquals(List.of("0000_a", "0001_b"), e.committed());
        assertEquals(List.of("0002_c"), e.stranded());
        assertEquals(MigrationState.OUT_OF_ORDER, migrator(folder).status().migrations().get(2).state());
    }

    /** A journal of (tag, when) pairs in drizzle-kit's layout. */
    private static String journal(Object... tagsAndWhens) {
        StringBuilder json = new StringBuilder("{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"entries\": [");
        for (int i = 0; i < tagsAndWhens.length; i += 2) {
            json.append(i == 0 ? "\n" : ",\n").append("    {\n      \"idx\": ").append(i / 2)
                    .append(",\n      \"version\": \"7\",\n      \"when\": ").append(tagsAndWhens[i + 1])
                    .append(",\n      \"tag\": \"").append(tagsAndWhens[i]).append("\",\n      \"breakpoints\": true\n    }");
        }
        return json.append("\n  ]\n}").toString();
    }

    @Test
    void statementRefusedInsideATransactionRunsOutsideOneWhereDrizzleFailsWith25001() throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("table", "CREATE TABLE t (a int);")
                .migration("index", "CREATE INDEX CONCURRENTLY t_a_idx ON t (a);")
                .write();
        ApplyResult result = migrator(folder).apply(ApplyOptions.defaults(), TEST);
        assertEquals("no-transaction", result.applied().get(1).mode());
        try (Connection c = db.connect()) {
            assertTrue(Catalog.exists(c, "public.t_a_idx"));
            assertEquals(2, Catalog.trackingRows(c).size());
        }
    }

    @Test
    void fileWithItsOwnBeginCommitRunsOnItsOwnAndIsTracked() throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("before", "CREATE TABLE t (a int);")
                .migration("own_tx", "BEGIN;\nALTER TABLE t ADD COLUMN b int;", "INSERT INTO t VALUES (1, 2);\n\nCOMMIT;")
                .migration("concurrent", "COMMIT;", "CREATE INDEX CONCURRENTLY t_b_idx ON t (b);")
                .migration("after", "CREATE TABLE u (a int);")
                .write();
        ApplyResult result = migrator(folder).apply(ApplyOptions.defaults(), TEST);
        assertEquals(4, result.applied().size());
        assertEquals(2, result.warnings().size(), result.warnings().toString());
        try (Connection c = db.connect()) {
            assertEquals(4, Catalog.trackingRows(c).size());
            assertEquals(1, Catalog.count(c, "select count(*) from pg_indexes where indexname = 't_b_idx'"));
            assertEquals(2, Catalog.count(c, "select b from t"));
        }
    }

    @Test
    void lockHeldByAnotherSessionTimesOutNamingTheHolder() throws Exception {
        Path folder = new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").write();
        TrackingTable table = TrackingTable.defaults();
        try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
            st.execute("select pg_advisory_lock(" + TrackingTable.LOCK_NAMESPACE + ", " + table.lockKey() + ")");
            int holderPid = (int) Catalog.count(holder, "select pg_backend_pid()");
            LockNotAcquiredException e = assertThrows(LockNotAcquiredException.class,
                    () -> migrator(folder).apply(ApplyOptions.defaults().withLockWait(Duration.ofMillis(300)), TEST));
            assertNotNull(e.lock().holder());
            assertEquals(holderPid, e.lock().holder().pid());
            assertTrue(e.waitedMillis() >= 300, "waited " + e.waitedMillis());
            assertTrue(e.getMessage().contains("pid " + holderPid), e.getMessage());
            assertEquals(holderPid, migrator(folder).lockStatus().holder().pid());
        }
        try (Connection c = db.connect()) {
            assertFalse(Catalog.exists(c, "public.one"));
        }
        assertEquals(1, migrator(folder).apply(ApplyOptions.defaults(), TEST).applied().size());
    }

    @Test
    void waitersAreVisibleInTheLockStatus() throws Exception {
        Path folder = new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").write();
        TrackingTable table = TrackingTable.defaults();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
            st.execute("select pg_advisory_lock(" + TrackingTable.LOCK_NAMESPACE + ", " + table.lockKey() + ")");
            Future<ApplyResult> waiting = pool.submit(() -> migrator(folder).apply(ApplyOptions.defaults(), TEST));
            LockStatus status = null;
            for (int i = 0; i < 100 && (status == null || status.waiters().isEmpty()); i++) {
                Thread.sleep(50);
                status = migrator(folder).lockStatus();
            }
            assertEquals(1, status.waiters().size(), status.toString());
            st.execute("select pg_advisory_unlock_all()");
            ApplyResult result = waiting.get();
            assertTrue(result.waitedForLock());
            assertEquals(1, result.applied().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void thirtyConcurrentAppliesFromTwoInstancesRunEachMigrationOnce() throws Exception {
        FolderBuilder builder = new FolderBuilder(dir).migration("log", "CREATE TABLE log (tag text);");
        for (int i = 1; i < 12; i++) {
            builder.migration("m" + i, "CREATE TABLE t" + i + " (id int);", "INSERT INTO log VALUES ('m" + i + "');");
        }
        Path folder = builder.write();
        List<Migrator> instances = List.of(migrator(folder), migrator(folder));
        ExecutorService pool = Executors.newFixedThreadPool(30);
        List<Callable<ApplyResult>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Migrator instance = instances.get(i % 2);
            calls.add(() -> instance.apply(ApplyOptions.defaults(), TEST));
        }
        List<String> appliedTags = Collections.synchronizedList(new ArrayList<>());
        try {
            for (Future<ApplyResult> f : pool.invokeAll(calls)) {
                ApplyResult r = f.get();
                r.applied().forEach(a -> appliedTags.add(a.tag()));
                if (r.applied().isEmpty()) {
                    assertEquals(12, r.alreadyApplied().size());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(12, appliedTags.size(), appliedTags.toString());
        assertEquals(12, appliedTags.stream().distinct().count());
        try (Connection c = db.connect()) {
            assertEquals(11, Catalog.count(c, "select count(*) from log"));
            assertEquals(12, Catalog.trackingRows(c).size());
        }
    }

    @Test
    void targetAndDryRun() throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("one", "CREATE TABLE one (id int);")
                .migration("two", "CREATE TABLE two (id int);")
                .migration("three", "CREATE TABLE three (id int);")
                .write();
        ApplyResult dry = migrator(folder).apply(ApplyOptions.defaults().withTarget("0001_two").asDryRun(), TEST);
        assertTrue(dry.dryRun());
        assertEquals(List.of("0000_one", "0001_two"), dry.applied().stream().map(AppliedMigration::tag).toList());
        try (Connection c = db.connect()) {
            assertFalse(Catalog.exists(c, "public.one"));
            assertFalse(Catalog.exists(c, "drizzle.__drizzle_migrations"));
        }
        ApplyResult toTwo = migrator(folder).apply(ApplyOptions.defaults().withTarget("0001_two"), TEST);
        assertEquals(2, toTwo.applied().size());
        assertEquals(List.of(MigrationState.APPLIED, MigrationState.APPLIED, MigrationState.PENDING),
                migrator(folder).status().migrations().stream().map(MigrationStatus::state).toList());
        assertThrows(UnknownMigrationException.class,
                () -> migrator(folder).apply(ApplyOptions.defaults().withTarget("9999_nope"), TEST));
    }

    @Test
    void multiStatementFilesEmptyAndCommentOnlyChunksRunAsDrizzleSendsThem() throws Exception {
        Path folder = new FolderBuilder(dir)
                .rawMigration("nobreaks", "CREATE TABLE a (id int);\nDO $$ BEGIN INSERT INTO a VALUES (1); END $$;\nCREATE TABLE b (id int);", false)
                .rawMigration("chunks", "CREATE TABLE c (id int);--> statement-breakpoint\n--> statement-breakpoint\n-- a comment only\n", true)
                .rawMigration("custom", "-- Custom SQL migration file, put your code below! --", true)
                .write();
        assertEquals(3, migrator(folder).apply(ApplyOptions.defaults(), TEST).applied().size());
        try (Connection c = db.connect()) {
            assertEquals(1, Catalog.count(c, "select count(*) from a"));
            assertTrue(Catalog.exists(c, "public.b"));
            assertTrue(Catalog.exists(c, "public.c"));
        }
    }

    @Test
    void nullCreatedAtAndUnknownRowsAreReported() throws Exception {
        Path folder = new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").write();
        migrator(folder).apply(ApplyOptions.defaults(), TEST);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('deadbeef', NULL), ('cafe', 42)");
        }
        StatusReport report = migrator(folder).status();
        assertEquals(1, report.nullCreatedAt().size());
        assertEquals(2, report.unknownRows().size());
        assertEquals(MigrationState.APPLIED, report.migrations().get(0).state());
    }

    @Test
    void customTrackingTableNamesAreQuotedLikeDrizzle() throws Exception {
        Path folder = new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").write();
        TrackingTable table = new TrackingTable("Ops \"x\"", "my_migrations", "audit");
        migrator(db, folder, table).apply(ApplyOptions.defaults(), TEST);
        try (Connection c = db.connect()) {
            assertEquals(1, Catalog.count(c, "select count(*) from \"Ops \"\"x\"\"\".my_migrations"));
            assertEquals(MigrationState.APPLIED, migrator(db, folder, table).status().migrations().get(0).state());
        }
    }
}
