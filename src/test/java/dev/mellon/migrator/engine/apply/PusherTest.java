package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.DataLossRefusedException;
import dev.mellon.migrator.engine.generate.Pusher;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.lock.PostgresSessions;
import dev.mellon.migrator.engine.schema.Canonicalizer;
import dev.mellon.migrator.engine.schema.GenerateRefusedException;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.testing.TestSandboxes;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Push against a real database: one transaction, data loss refused unless accepted, never half applied. */
class PusherTest {

    static Pusher pusher(TestDatabase.Database db) {
        Canonicalizer canonicalizer = new Canonicalizer(TestSandboxes.on(db));
        return new Pusher(MigratorTest.migrator(db, Path.of("drizzle"), TrackingTable.defaults()), new SchemaComparer(canonicalizer),
                canonicalizer, new SnapshotCodec());
    }

    static void run(TestDatabase.Database db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static List<String> catalog(TestDatabase.Database db) throws Exception {
        try (Connection c = db.connect()) {
            List<String> objects = new java.util.ArrayList<>(Catalog.userObjects(c));
            objects.addAll(Catalog.strings(c, "select conname from pg_constraint where connamespace = 'public'::regnamespace order by 1"));
            objects.add("rows " + Catalog.count(c, "select count(*) from users"));
            return objects;
        }
    }

    static Pusher.Request sql(String ddl, boolean acceptDataLoss) {
        return new Pusher.Request(null, ddl, List.of(), acceptDataLoss, false, Duration.ofSeconds(5));
    }

    @Test
    void pushesInOneTransactionAndThenHasNothingToDo() throws Exception {
        try (TestDatabase database = TestDatabase.create("mellon_push")) {
            TestDatabase.Database db = database.database();
            run(db, "CREATE TABLE users (id serial PRIMARY KEY, name text)");
            String desired = "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL DEFAULT '', age int CHECK (age BETWEEN 0 AND 150));"
                    + "CREATE INDEX users_name_idx ON users (name)";
            Pusher.Result result = pusher(db).push(sql(desired, false));
            assertTrue(result.executed());
            assertEquals("canonical", result.plan().comparison());
            Pusher.Result again = pusher(db).push(sql(desired, false));
            assertFalse(again.executed());
            assertEquals(List.of(), again.plan().changes(), "a second push finds nothing: BETWEEN is compared as PostgreSQL prints it");
        }
    }

    @Test
    void dataLossIsRefusedNamingTheObjectsUnlessAccepted() throws Exception {
        try (TestDatabase database = TestDatabase.create("mellon_push")) {
            TestDatabase.Database db = database.database();
            run(db, "CREATE TABLE users (id int, nickname text); CREATE TABLE old_stuff (id int); INSERT INTO users VALUES (1, 'x')");
            String desired = "CREATE TABLE users (id int)";
            DataLossRefusedException e = assertThrows(DataLossRefusedException.class, () -> pusher(db).push(sql(desired, false)));
            assertEquals(List.of("public.old_stuff", "public.users.nickname"), e.objects().stream().sorted().toList());
            List<String> before = catalog(db);
            assertEquals(before, catalog(db));
            assertTrue(pusher(db).push(sql(desired, true)).executed());
            assertEquals(List.of(), pusher(db).push(sql(desired, false)).plan().changes());
        }
    }

    @Test
    void aFailureInTheMiddleLeavesTheDatabaseUnchanged() throws Exception {
        try (TestDatabase database = TestDatabase.create("mellon_push")) {
            TestDatabase.Database db = database.database();
            run(db, "CREATE TABLE users (id int, email text); INSERT INTO users VALUES (1, 'a'), (2, 'a')");
            List<String> before = catalog(db);
            // The new column comes first; the unique constraint then fails on the duplicate emails.
            MigrationFailedException e = assertThrows(MigrationFailedException.class, () -> pusher(db).push(sql(
                    "CREATE TABLE users (id int, email text, bio text, CONSTRAINT users_email_unique UNIQUE (email))", true)));
            assertEquals("23505", e.sqlState());
            assertEquals(before, catalog(db));
        }
    }

    @Test
    void anEnumValueAddedAndUsedInOnePushIsCommittedFirst() throws Exception {
        try (TestDatabase database = TestDatabase.create("mellon_push")) {
            TestDatabase.Database db = database.database();
            run(db, "CREATE TYPE status AS ENUM ('open', 'done'); CREATE TABLE t (id int)");
            String desired = "CREATE TYPE status AS ENUM ('open', 'done', 'archived'); CREATE TABLE t (id int, s status DEFAULT 'archived')";
            assertTrue(pusher(db).push(sql(desired, false)).executed());
            assertEquals(List.of(), pusher(db).push(sql(desired, false)).plan().changes());
        }
    }

    @Test
    void aPushBehindAnotherSessionsLockGivesUpAtTheLockTimeoutAsAnApplyWould() throws Exception {
        try (TestDatabase database = TestDatabase.create("mellon_push_lock")) {
            TestDatabase.Database db = database.database();
            run(db, "CREATE TABLE users (id int)");
            org.postgresql.ds.PGSimpleDataSource pool = new org.postgresql.ds.PGSimpleDataSource();
            pool.setUrl(db.jdbcUrl());
            pool.setUser(db.user());
            pool.setPassword(db.password());
            Migrator migrator = new Migrator(dev.mellon.migrator.folder.FolderCache.verifying(new dev.mellon.migrator.folder.FolderReader(),
                    Path.of("drizzle")), pool, PostgresSessions.simpleProtocol(db.jdbcUrl(), db.user(), db.password()),
                    TrackingTable.defaults(), 4, new ApplyOptions.Timeouts(Duration.ofSeconds(1), Duration.ZERO));
            Canonicalizer canonicalizer = new Canonicalizer(TestSandboxes.on(db));
            Pusher pusher = new Pusher(migrator, new SchemaComparer(canonicalizer), canonicalizer, new SnapshotCodec());
            try (Connection reader = db.connect(); Statement st = reader.createStatement()) {
                reader.setAutoCommit(false);
                st.execute("SELECT * FROM users"); // holds ACCESS SHARE until rolled back
                long start = System.nanoTime();
                MigrationFailedException e = assertThrows(MigrationFailedException.class,
                        () -> pusher.push(sql("CREATE TABLE users (id int, name text)", false)));
                assertEquals("55P03", e.sqlState(), e.getMessage());
                assertTrue((System.nanoTime() - start) / 1_000_000_000 < 10, "it gave up at the lock timeout, not later");
                reader.rollback();
            }
            try (Connection c = db.connect()) {
                assertEquals(0, Catalog.count(c, "select count(*) from information_schema.columns where table_name = 'users' and column_name = 'name'"));
            }
        }
    }

    @Test
    void withoutACanonicalComparisonPushRefusesToExecute() throws Exception {
        String role = "mellon_push_nocreatedb_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        TestDatabase.onServer("CREATE ROLE " + role + " LOGIN NOCREATEDB");
        try (TestDatabase database = TestDatabase.create("mellon_push")) {
            TestDatabase.Database db = database.database();
            run(db, "CREATE TABLE users (id int)");
            Canonicalizer textual = new Canonicalizer(TestSandboxes.as(db.jdbcUrl().replaceAll("\\?.*$", ""), role, null, dev.mellon.migrator.engine.sandbox.SandboxSettings.defaults()));
            Pusher pusher = new Pusher(MigratorTest.migrator(db, Path.of("drizzle"), TrackingTable.defaults()), new SchemaComparer(textual),
                    textual, new SnapshotCodec());
            String snapshot = java.nio.file.Files.readString(Path.of("drizzle/meta/0000_snapshot.json"));
            Pusher.Request request = new Pusher.Request(snapshot, null, List.of(), true, false, Duration.ofSeconds(5));
            GenerateRefusedException e = assertThrows(GenerateRefusedException.class, () -> pusher.push(request));
            assertEquals(GenerateRefusedException.Reason.UNSAFE, e.reason());
            assertTrue(e.getMessage().contains("canonical"), e.getMessage());
        } finally {
            TestDatabase.onServer("DROP ROLE IF EXISTS " + role);
        }
    }
}
