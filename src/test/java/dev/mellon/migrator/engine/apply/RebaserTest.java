package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.core.TransactionMode;
import dev.mellon.migrator.engine.generate.Generator;
import dev.mellon.migrator.engine.generate.RebaseRefusedException;
import dev.mellon.migrator.engine.generate.Rebaser;
import dev.mellon.migrator.engine.generate.SnapshotConflictException;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.schema.Canonicalizer;
import dev.mellon.migrator.engine.schema.MigrationVerifier;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaInspector;
import dev.mellon.migrator.engine.schema.SchemaPlan;
import dev.mellon.migrator.engine.schema.SchemaSource;
import dev.mellon.migrator.testing.TestSandboxes;
import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.FolderWriter;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.Snapshot;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two branches generated from one parent and merged (unix-second tags, so both files survive the merge): detected,
 * rebased, then the folder applies cleanly and generate sees the merged schema.
 */
class RebaserTest {

    static final String INIT = "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);";
    static final String BRANCH_A = INIT + "CREATE TABLE posts (id serial PRIMARY KEY, author integer REFERENCES users (id));";
    static final String BRANCH_B = "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, bio text);";
    static final String MERGED = BRANCH_A.replace("name text NOT NULL)", "name text NOT NULL, bio text)");

    private static TestDatabase server;
    private static Canonicalizer canonicalizer;
    private static dev.mellon.migrator.engine.schema.MigrationVerifier verifier;
    private final SnapshotCodec codec = new SnapshotCodec();

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        server = TestDatabase.create("mellon_rebase");
        TestDatabase.Database db = server.database();
        canonicalizer = new Canonicalizer(TestSandboxes.on(db));
        verifier = TestSandboxes.verifier(TestSandboxes.on(db));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Writes one entry whose snapshot is {@code ddl}'s schema and whose parent is {@code parent} ({@code null}: none). */
    private String entry(String tag, long when, String id, String ddl, String parentDdl, String parentId) {
        SchemaModel model = canonicalizer.fromSql(ddl);
        SchemaModel before = parentDdl == null ? SchemaModel.empty() : canonicalizer.fromSql(parentDdl);
        SchemaPlan plan = new SchemaComparer(canonicalizer).plan(SchemaSource.snapshot("a", before), SchemaSource.snapshot("b", model),
                List.of(), SchemaComparer.Style.DRIZZLE);
        byte[] journal = FolderWriter.readJournal(folder);
        new FolderWriter().write(folder, new FolderWriter.NewMigration(tag, tag + ".sql", MigrationWriter.join(plan.statements()),
                FolderReader.snapshotName(tag), codec.write(new Snapshot(id, parentId, "7", "postgresql", model, Map.of())),
                FolderWriter.appendEntry(journal, journal == null ? 0 : 2 - (tag.endsWith("_a") ? 1 : 0), when, tag)), journal);
        return id;
    }

    private void mergedBranches() {
        String init = entry("1795000000_init", 1795000000000L, "10000000-0000-4000-8000-000000000000", INIT, null, Snapshot.ROOT_ID);
        entry("1795000100_a", 1795000100000L, "20000000-0000-4000-8000-000000000000", BRANCH_A, INIT, init);
        entry("1795000200_b", 1795000200000L, "30000000-0000-4000-8000-000000000000", BRANCH_B, INIT, init);
    }

    private Rebaser rebaser(TestDatabase.Database db) {
        return new Rebaser(MigratorTest.migrator(db, folder, TrackingTable.defaults()), new FolderReader(), codec,
                new SchemaComparer(canonicalizer), verifier, true, Clock.fixed(Instant.ofEpochSecond(1795000300L), ZoneOffset.UTC));
    }

    @Test
    void rebaseMovesOneBranchAfterTheOtherAndTheFolderApplies() throws Exception {
        mergedBranches();
        Generator generator = new Generator(folder, new FolderReader(), codec, new SchemaComparer(canonicalizer), canonicalizer, verifier,
                true, Clock.systemUTC());
        SnapshotConflictException conflict = assertThrows(SnapshotConflictException.class,
                () -> generator.generate(new Generator.Request(null, MERGED, null, List.of(), false, false, true)));
        assertEquals(List.of("1795000100_snapshot.json", "1795000200_snapshot.json"), List.of(conflict.first(), conflict.second()));

        try (TestDatabase database = TestDatabase.create("mellon_rebased")) {
            Rebaser.Result result = rebaser(database.database()).rebase("1795000100_a", false);
            assertEquals("1795000300_a", result.entry().tag());
            assertEquals("30000000-0000-4000-8000-000000000000", result.entry().prevId());
            assertTrue(result.written());
            assertEquals(List.of("""
                    CREATE TABLE "posts" (
                    \t"id" serial PRIMARY KEY NOT NULL,
                    \t"author" integer
                    );
                    """, "ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_author_fkey\" FOREIGN KEY (\"author\") REFERENCES "
                    + "\"public\".\"users\"(\"id\") ON DELETE no action ON UPDATE no action;"), result.plan().sql());
            assertFalse(Files.exists(folder.resolve("1795000100_a.sql")));
            assertFalse(Files.exists(folder.resolve("meta/1795000100_snapshot.json")));
            List<String> tags = new FolderReader().read(folder).migrations().stream().map(m -> m.tag()).toList();
            assertEquals(List.of("1795000000_init", "1795000200_b", "1795000300_a"), tags);

            // The folder is whole again: generate from the merged schema finds nothing, and it applies with no drift.
            assertTrue(generator.generate(new Generator.Request(null, MERGED, null, List.of(), false, false, true)).plan().isEmpty());
            MigratorTest.migrator(database.database(), folder, TrackingTable.defaults()).apply(ApplyOptions.defaults(), RunContext.of("test"));
            SchemaInspector inspector = SchemaDriftTest.inspector(database.database(), folder);
            SchemaModel expected = SchemaInspector.modelOf(inspector.expected(new FolderReader().read(folder), null));
            SchemaModel live = inspector.introspect(SchemaInspector.schemasOf(expected), NameFilter.all()).schema();
            assertEquals(List.of(), new SchemaComparer(canonicalizer).plan(SchemaSource.postgres("db", live),
                    SchemaSource.snapshot("history", expected), List.of(), SchemaComparer.Style.DRIZZLE).changes());
        }
    }

    @Test
    void anAppliedEntryOrClashingChangesAreNotRebased() throws Exception {
        mergedBranches();
        try (TestDatabase database = TestDatabase.create("mellon_rebase_applied")) {
            Migrator migrator = MigratorTest.migrator(database.database(), folder, TrackingTable.defaults());
            migrator.apply(new ApplyOptions(false, "1795000100_a", ApplyOptions.defaults().lockWait(), TransactionMode.ALL, false,
                    false, false), RunContext.of("test"));
            RebaseRefusedException e = assertThrows(RebaseRefusedException.class,
                    () -> rebaser(database.database()).rebase("1795000100_a", false));
            assertTrue(e.getMessage().contains("applied"), e.getMessage());
        }
        // Both branches change the same column: no silent pick of one side.
        String clash = Files.readString(folder.resolve("meta/1795000100_snapshot.json"), StandardCharsets.UTF_8)
                .replaceFirst("\"type\": \"text\"", "\"type\": \"varchar(10)\"");
        Files.writeString(folder.resolve("meta/1795000100_snapshot.json"), clash, StandardCharsets.UTF_8);
        String other = Files.readString(folder.resolve("meta/1795000200_snapshot.json"), StandardCharsets.UTF_8)
                .replaceFirst("\"type\": \"text\"", "\"type\": \"varchar(20)\"");
        Files.writeString(folder.resolve("meta/1795000200_snapshot.json"), other, StandardCharsets.UTF_8);
        try (TestDatabase database = TestDatabase.create("mellon_rebase_clash")) {
            RebaseRefusedException e = assertThrows(RebaseRefusedException.class,
                    () -> rebaser(database.database()).rebase("1795000100_a", true));
            assertTrue(e.getMessage().contains("/tables/public.users/columns/name/type"), e.getMessage());
        }
    }

    @Test
    void handWrittenSqlIsNotThrownAway() throws Exception {
        mergedBranches();
        Files.writeString(folder.resolve("1795000100_a.sql"), Files.readString(folder.resolve("1795000100_a.sql"))
                + "--> statement-breakpoint\nINSERT INTO users (name) VALUES ('seed');");
        try (TestDatabase database = TestDatabase.create("mellon_rebase_custom")) {
            RebaseRefusedException e = assertThrows(RebaseRefusedException.class,
                    () -> rebaser(database.database()).rebase("1795000100_a", true));
            assertTrue(e.getMessage().contains("custom or edited"), e.getMessage());
        }
    }
}
