package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.engine.generate.Generator;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.rollback.NoDownMigrationException;
import dev.mellon.migrator.engine.rollback.RollbackRefusedException;
import dev.mellon.migrator.engine.rollback.Rollbacker;
import dev.mellon.migrator.engine.schema.Canonicalizer;
import dev.mellon.migrator.engine.schema.MigrationVerifier;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.testing.TestSandboxes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.FolderWarning;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rollback against a real PostgreSQL: generated histories rolled back and applied again. */
class RollbackTest {

    private static final RunContext TEST = RunContext.of("test");
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase server;
    private static Canonicalizer canonicalizer;
    private static dev.mellon.migrator.engine.schema.MigrationVerifier verifier;

    @TempDir
    Path dir;

    private TestDatabase database;
    private TestDatabase.Database db;

    @BeforeAll
    static void shadowServer() {
        server = TestDatabase.create("mellon_rollback_shadow");
        TestDatabase.Database shadow = server.database();
        canonicalizer = new Canonicalizer(TestSandboxes.on(shadow));
        verifier = TestSandboxes.verifier(TestSandboxes.on(shadow));
    }

    @AfterAll
    static void dropShadowServer() {
        server.close();
    }

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create("mellon_rollback");
        db = database.database();
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    private Migrator migrator(Path folder) {
        return MigratorTest.migrator(db, folder, TrackingTable.defaults());
    }

    private Rollbacker rollbacker(Migrator migrator) {
        return new Rollbacker(migrator, new FolderReader(), new SnapshotCodec(), new SchemaComparer(canonicalizer));
    }

    /** A drizzle-kit 1.0 directory rolls back with its hand-written down.sql, and its named row goes. */
    @Test
    void aDirectoryRollsBackWithItsDownFile() throws Exception {
        FolderBuilder builder = new FolderBuilder(dir.resolve("dirs"))
                .migrationAt("one", 1_735_787_045_000L, "CREATE TABLE one (id int);")
                .migrationAt("two", 1_735_787_046_000L, "CREATE TABLE two (id int);");
        Path folder = builder.writeDirectories();
        Files.writeString(folder.resolve(builder.directory(1)).resolve("down.sql"), "DROP TABLE two;");
        Migrator migrator = migrator(folder);
        migrator.apply(ApplyOptions.defaults(), TEST);

        Rollbacker.Result result = rollbacker(migrator).rollback(new Rollbacker.Request(builder.directory(0), true, false, WAIT,
                "revert"), TEST);

        assertEquals(List.of(builder.directory(1)), result.rolledBack().stream().map(r -> r.down().tag()).toList());
        try (java.sql.Connection c = db.connect()) {
            assertFalse(Catalog.exists(c, "public.two"));
            assertEquals(List.of(builder.directory(0)), Catalog.strings(c,
                    "select name from drizzle.__drizzle_migrations order by id"));
        }
        assertEquals(MigrationState.PENDING, migrator.status().migrations().get(1).state());
    }

    private Path example() throws IOException {
        Path folder = dir.resolve("drizzle");
        try (Stream<Path> files = Files.walk(GeneratorTest.EXAMPLE)) {
            for (Path p : files.toList()) {
                Path target = folder.resolve(GeneratorTest.EXAMPLE.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return folder;
    }

    private Generator generator(Path folder) {
        return new Generator(folder, new FolderReader(), new SnapshotCodec(), new SchemaComparer(canonicalizer), canonicalizer,
                verifier, true, Clock.fixed(GeneratorTest.NOW, ZoneOffset.UTC));
    }

    private static Generator.Request request(String snapshot, String name) {
        return new Generator.Request(snapshot, null, name, List.of(), false, false, false);
    }

    /** Three generated migrations on top of the example: posts + nickname, an enum column, an index. */
    private List<String> generateThree(Path folder) throws IOException {
        String first = GeneratorTest.desiredSnapshot();
        ObjectNode second = (ObjectNode) JSON.readTree(first);
        ((ObjectNode) second.path("enums")).set("public.mood", JSON.readTree(
                "{\"name\":\"mood\",\"schema\":\"public\",\"values\":[\"happy\",\"sad\"]}"));
        ((ObjectNode) second.path("tables").path("public.users").path("columns")).set("mood", JSON.readTree(
                "{\"name\":\"mood\",\"type\":\"mood\",\"typeSchema\":\"public\",\"primaryKey\":false,\"notNull\":false}"));
        ObjectNode third = second.deepCopy();
        ((ObjectNode) third.path("tables").path("public.posts").path("indexes")).set("posts_author_idx", JSON.readTree("""
                {"name":"posts_author_idx","columns":[{"expression":"author_id","isExpression":false,"asc":true,"nulls":"last"}],
                 "isUnique":false,"concurrently":false,"method":"btree","with":{}}"""));
        List<String> tags = new java.util.ArrayList<>();
        for (var step : List.of(List.of(first, "add_posts"), List.of(second.toString(), "add_mood"), List.of(third.toString(), "index_posts"))) {
            Generator.Result result = generator(folder).generate(request(step.get(0), step.get(1)));
            assertEquals(1, result.entries().size(), step.get(1));
            tags.add(result.entries().get(0).tag());
        }
        return tags;
    }

    private List<String> catalog() throws Exception {
        try (Connection c = db.connect()) {
            List<String> out = new java.util.ArrayList<>(Catalog.userObjects(c));
            out.addAll(Catalog.strings(c, "select 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)"
                    + " from pg_constraint where connamespace = 'public'::regnamespace order by 1"));
            out.addAll(Catalog.strings(c, "select 'enum ' || enumtypid::regtype || ' ' || enumlabel from pg_enum order by 1"));
            return out;
        }
    }

    private List<String> state() throws Exception {
        try (Connection c = db.connect()) {
            return Catalog.state(c);
        }
    }

    private List<String> tracking() throws Exception {
        try (Connection c = db.connect()) {
            return Catalog.trackingRows(c);
        }
    }

    @Test
    void rollingBackTheLastThreeGeneratedMigrationsRestoresTheCatalogAndApplyBringsThemBack() throws Exception {
        Path folder = example();
        Migrator migrator = migrator(folder);
        migrator.apply(ApplyOptions.defaults(), TEST);
        List<String> before = catalog();
        List<String> rowsBefore = tracking();
        List<String> tags = generateThree(folder);
        assertEquals(List.of(), new FolderReader().read(folder).warnings().stream().map(FolderWarning::code).toList());
        migrator.apply(ApplyOptions.defaults(), TEST);
        try (Connection c = db.connect(); var st = c.createStatement()) {
            st.execute("INSERT INTO users (name, email, mood) VALUES ('a', 'a@example.com', 'happy')");
            st.execute("INSERT INTO posts (author_id) SELECT id FROM users");
        }
        List<String> after = catalog();
        List<String> rowsAfter = tracking();
        assertTrue(after.size() > before.size());
        Rollbacker rollbacker = rollbacker(migrator);

        // The downs are computed from the snapshots, with hazards.
        Rollbacker.Down down = rollbacker.down(tags.get(0));
        assertEquals(Rollbacker.Source.COMPUTED, down.source());
        assertTrue(down.statements().stream().anyMatch(s -> s.contains("DROP TABLE") && s.contains("posts")), down.statements().toString());
        assertTrue(down.dataLoss().stream().anyMatch(h -> h.object().contains("posts")), down.hazards().toString());

        // Without acceptDataLoss nothing happens; a dry run changes nothing either.
        List<String> untouched = state();
        RollbackRefusedException refused = assertThrows(RollbackRefusedException.class, () -> rollbacker.rollback(
                new Rollbacker.Request("0001_add_new_column", false, false, WAIT, "revert"), TEST));
        assertEquals(RollbackRefusedException.Reason.DATA_LOSS, refused.reason());
        assertTrue(refused.tags().contains(tags.get(0)), refused.tags().toString());
        assertEquals(untouched, state());
        Rollbacker.Result dry = rollbacker.rollback(new Rollbacker.Request("0001_add_new_column", false, true, WAIT, null), TEST);
        assertTrue(dry.dryRun());
        assertEquals(List.of(tags.get(2), tags.get(1), tags.get(0)), dry.rolledBack().stream().map(r -> r.down().tag()).toList());
        assertEquals(untouched, state());

        Rollbacker.Result result = rollbacker.rollback(new Rollbacker.Request("0001_add_new_column", true, false, WAIT,
                "release reverted"), TEST);
        assertEquals(List.of(tags.get(2), tags.get(1), tags.get(0)), result.rolledBack().stream().map(r -> r.down().tag()).toList());
        assertEquals(before, catalog());
        assertEquals(rowsBefore, tracking());
        assertEquals(List.of(MigrationState.APPLIED, MigrationState.APPLIED, MigrationState.PENDING, MigrationState.PENDING,
                MigrationState.PENDING), migrator.status().migrations().stream().map(MigrationStatus::state).toList());
        try (Connection c = db.connect()) {
            assertEquals(List.of(tags.get(0) + " release reverted", tags.get(1) + " release reverted", tags.get(2) + " release reverted"),
                    Catalog.strings(c, "select tag || ' ' || reason from drizzle.__mellon_migrator_audit where action = 'rolled-back' order by tag"));
            // appliedAt is not claimed for an entry whose last audit action is its rollback.
            assertEquals(null, migrator.status().migrations().get(2).appliedAt());
        }

        // A second apply brings it back exactly.
        ApplyResult again = migrator.apply(ApplyOptions.defaults(), TEST);
        assertEquals(tags, again.applied().stream().map(AppliedMigration::tag).toList());
        assertEquals(after, catalog());
        assertEquals(rowsAfter, tracking());

        // Everything, down to an empty schema: the first entry's down is computed against an empty schema.
        rollbacker.rollback(new Rollbacker.Request("", true, false, WAIT, "all"), TEST);
        try (Connection c = db.connect()) {
            assertEquals(List.of(), Catalog.userObjects(c));
            assertEquals(List.of(), Catalog.trackingRows(c));
        }
        migrator.apply(ApplyOptions.defaults(), TEST);
        assertEquals(after, catalog());
    }

    @Test
    void aHandWrittenDownFileIsUsedAndEntriesWithoutOneAreRefusedByName() throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("one", "CREATE TABLE one (id int);")
                .migration("two", "CREATE TABLE two (id int);", "CREATE INDEX two_id ON two (id);")
                .migration("three", "CREATE TABLE three (id int);")
                .write();
        Files.writeString(folder.resolve("0001_two.down.sql"), "DROP INDEX two_id;\n--> statement-breakpoint\nDROP TABLE two;");
        Files.writeString(folder.resolve("0007_gone.down.sql"), "SELECT 1;");
        List<String> codes = new FolderReader().read(folder).warnings().stream().map(FolderWarning::code).toList();
        assertTrue(codes.contains("orphan-down-file"), codes.toString());
        assertTrue(!codes.contains("orphan-sql-file"), codes.toString());

        Migrator migrator = migrator(folder);
        migrator.apply(ApplyOptions.defaults(), TEST);
        Rollbacker rollbacker = rollbacker(migrator);
        Rollbacker.Down down = rollbacker.down("0001_two");
        assertEquals(Rollbacker.Source.FILE, down.source());
        assertEquals(List.of("DROP INDEX two_id;\n", "\nDROP TABLE two;"), down.statements());
        assertEquals(1, down.dataLoss().size());
        NoDownMigrationException none = assertThrows(NoDownMigrationException.class, () -> rollbacker.down("0002_three"));
        assertEquals("0002_three", none.tag());
        assertThrows(UnknownMigrationException.class, () -> rollbacker.down("0009_nope"));

        List<String> untouched = state();
        RollbackRefusedException refused = assertThrows(RollbackRefusedException.class, () -> rollbacker.rollback(
                new Rollbacker.Request("0000_one", true, false, WAIT, null), TEST));
        assertEquals(RollbackRefusedException.Reason.NO_DOWN, refused.reason());
        assertEquals(List.of("0002_three"), refused.tags());
        assertTrue(refused.getMessage().contains("0002_three"), refused.getMessage());
        assertEquals(untouched, state());
        UnknownMigrationException unknown = assertThrows(UnknownMigrationException.class, () -> rollbacker.rollback(
                new Rollbacker.Request("0009_nope", true, false, WAIT, null), TEST));
        assertEquals("to", unknown.field());

        // With a down for the last one too, the rollback runs both files in one transaction.
        Files.writeString(folder.resolve("0002_three.down.sql"), "DROP TABLE three;");
        Rollbacker.Result result = rollbacker.rollback(new Rollbacker.Request("0000_one", true, false, WAIT, "test"), TEST);
        assertEquals(List.of("0002_three", "0001_two"), result.rolledBack().stream().map(r -> r.down().tag()).toList());
        try (Connection c = db.connect()) {
            assertEquals(List.of("column public.one.id integer"), Catalog.userObjects(c));
            assertEquals(1, Catalog.trackingRows(c).size());
        }
        // Rolling back to an entry that is not applied is refused.
        RollbackRefusedException target = assertThrows(RollbackRefusedException.class, () -> rollbacker.rollback(
                new Rollbacker.Request("0001_two", true, false, WAIT, null), TEST));
        assertEquals(RollbackRefusedException.Reason.TARGET_NOT_APPLIED, target.reason());
    }

    @Test
    void aFailingDownLeavesEverythingAsItWas() throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("one", "CREATE TABLE one (id int);")
                .migration("two", "CREATE TABLE two (id int);")
                .migration("three", "CREATE TABLE three (id int);")
                .write();
        Files.writeString(folder.resolve("0002_three.down.sql"), "DROP TABLE three;");
        Files.writeString(folder.resolve("0001_two.down.sql"), "DROP TABLE no_such_table;");
        Migrator migrator = migrator(folder);
        migrator.apply(ApplyOptions.defaults(), TEST);
        List<String> untouched = state();
        MigrationFailedException failed = assertThrows(MigrationFailedException.class, () -> rollbacker(migrator).rollback(
                new Rollbacker.Request("0000_one", true, false, WAIT, null), TEST));
        assertEquals("0001_two", failed.tag());
        assertEquals(untouched, state());
    }

    @Test
    void aCustomMigrationHasNoComputedDownAndAChangedEntryInRangeIsRefused() throws Exception {
        Path folder = example();
        Generator.Result custom = generator(folder).generate(new Generator.Request(null, null, "seed", List.of(), false, true, false));
        String tag = custom.entries().get(0).tag();
        Migrator migrator = migrator(folder);
        migrator.apply(ApplyOptions.defaults(), TEST);
        Rollbacker rollbacker = rollbacker(migrator);
        assertThrows(NoDownMigrationException.class, () -> rollbacker.down(tag));
        assertEquals(Rollbacker.Source.COMPUTED, rollbacker.down("0001_add_new_column").source());
        Files.writeString(folder.resolve(tag + ".sql"), "SELECT 2;");
        RollbackRefusedException refused = assertThrows(RollbackRefusedException.class, () -> rollbacker.rollback(
                new Rollbacker.Request("0000_create_users", true, false, WAIT, null), TEST));
        assertEquals(RollbackRefusedException.Reason.NOT_APPLIED, refused.reason());
        assertEquals(List.of(tag), refused.tags());
    }

    @Test
    void generateWritesTheDownFileBesideTheNewMigration() throws Exception {
        Path folder = example();
        Generator.Result result = generator(folder).generate(new Generator.Request(GeneratorTest.desiredSnapshot(), null, "add_posts",
                List.of(), false, false, false, true, true));
        String tag = result.entries().get(0).tag();
        Path downFile = folder.resolve(tag + ".down.sql");
        assertTrue(Files.exists(downFile));
        assertEquals(List.of(), new FolderReader().read(folder).warnings().stream().map(FolderWarning::code).toList());
        Migrator migrator = migrator(folder);
        migrator.apply(ApplyOptions.defaults(), TEST);
        Rollbacker rollbacker = rollbacker(migrator);
        Rollbacker.Down fromFile = rollbacker.down(tag);
        assertEquals(Rollbacker.Source.FILE, fromFile.source());
        String written = Files.readString(downFile);
        Files.delete(downFile);
        Rollbacker.Down computed = rollbacker.down(tag);
        assertEquals(Rollbacker.Source.COMPUTED, computed.source());
        assertEquals(String.join(FolderBuilder.BREAK, computed.statements()), written);
        Files.writeString(downFile, written);
        List<String> before;
        try (Connection c = db.connect()) {
            before = Catalog.userObjects(c);
        }
        rollbacker.rollback(new Rollbacker.Request("0001_add_new_column", true, false, WAIT, null), TEST);
        migrator.apply(ApplyOptions.defaults(), TEST);
        try (Connection c = db.connect()) {
            assertEquals(before, Catalog.userObjects(c));
        }
    }
}
