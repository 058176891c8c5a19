package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.generate.Generator;
import dev.mellon.migrator.engine.generate.SnapshotConflictException;
import dev.mellon.migrator.engine.generate.UnprovenMigrationException;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.schema.Canonicalizer;
import dev.mellon.migrator.engine.schema.MigrationVerifier;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaInspector;
import dev.mellon.migrator.engine.schema.SchemaPlan;
import dev.mellon.migrator.engine.schema.SchemaSource;
import dev.mellon.migrator.engine.schema.Verification;
import dev.mellon.migrator.testing.TestSandboxes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mellon.migrator.diff.Rename;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generate against a copy of the example folder (written by drizzle-kit 0.31.11), checked file by file. */
class GeneratorTest {

    static final Path EXAMPLE = Path.of("drizzle");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static TestDatabase server;
    private static Canonicalizer canonicalizer;
    private static dev.mellon.migrator.engine.schema.MigrationVerifier verifier;

    @TempDir
    Path folder;

    @BeforeAll
    static void shadowServer() {
        server = TestDatabase.create("mellon_generate");
        TestDatabase.Database db = server.database();
        canonicalizer = new Canonicalizer(TestSandboxes.on(db));
        verifier = TestSandboxes.verifier(TestSandboxes.on(db));
    }

    @AfterAll
    static void drop() {
        server.close();
    }

    @BeforeEach
    void copyExample() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLE)) {
            for (Path p : files.toList()) {
                Path target = folder.resolve(EXAMPLE.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    Generator generator(boolean writable) {
        return new Generator(folder, new FolderReader(), new SnapshotCodec(), new SchemaComparer(canonicalizer), canonicalizer,
                verifier, writable, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** The example's last snapshot with a nickname column and a posts table referencing users. */
    static String desiredSnapshot() throws IOException {
        ObjectNode snapshot = (ObjectNode) JSON.readTree(Files.readString(EXAMPLE.resolve("meta/0001_snapshot.json")));
        ObjectNode users = (ObjectNode) snapshot.path("tables").path("public.users");
        ((ObjectNode) users.path("columns")).set("nickname", JSON.readTree(
                "{\"name\":\"nickname\",\"type\":\"text\",\"primaryKey\":false,\"notNull\":false}"));
        ((ObjectNode) snapshot.path("tables")).set("public.posts", JSON.readTree("""
                {"name":"posts","schema":"","columns":{
                  "id":{"name":"id","type":"serial","primaryKey":true,"notNull":true},
                  "author_id":{"name":"author_id","type":"integer","primaryKey":false,"notNull":true}},
                 "indexes":{},
                 "foreignKeys":{"posts_author_id_users_id_fk":{"name":"posts_author_id_users_id_fk","tableFrom":"posts",
                   "tableTo":"users","columnsFrom":["author_id"],"columnsTo":["id"],"onDelete":"cascade","onUpdate":"no action"}},
                 "compositePrimaryKeys":{},"uniqueConstraints":{},"policies":{},"checkConstraints":{},"isRLSEnabled":false}
                """));
        return snapshot.toString();
    }

    @Test
    void writesTheNextMigrationAsDrizzleKitWould() throws IOException {
        Generator.Result result = generator(true).generate(new Generator.Request(desiredSnapshot(), null, "add_posts", List.of(),
                false, false, false));
        assertTrue(result.written());
        assertEquals(1, result.entries().size());
        Generator.Entry entry = result.entries().get(0);
        assertEquals("0002_add_posts", entry.tag());
        assertEquals(NOW.toEpochMilli(), entry.when());
        assertEquals("de854a09-29e7-4fab-8034-caccf817d528", entry.prevId());
        assertEquals("""
                CREATE TABLE "posts" (
                \t"id" serial PRIMARY KEY NOT NULL,
                \t"author_id" integer NOT NULL
                );
                --> statement-breakpoint
                ALTER TABLE "users" ADD COLUMN "nickname" text;--> statement-breakpoint
                ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;""",
                Files.readString(folder.resolve("0002_add_posts.sql")));
        String journal = Files.readString(folder.resolve("meta/_journal.json"));
        assertTrue(journal.endsWith("""
                    {
                      "idx": 2,
                      "version": "7",
                      "when": %d,
                      "tag": "0002_add_posts",
                      "breakpoints": true
                    }
                  ]
                }""".formatted(NOW.toEpochMilli())), journal);
        String snapshot = Files.readString(folder.resolve("meta/0002_snapshot.json"));
        assertEquals(entry.id(), JSON.readTree(snapshot).path("id").asText());
        assertEquals(JSON.readTree(desiredSnapshot()).path("tables"), JSON.readTree(snapshot).path("tables"));
        assertFalse(snapshot.endsWith("\n"));
        // Proven before written: the new file ran on a replay of the folder and made the desired schema.
        assertInstanceOf(Verification.Verified.class, result.verification(), String.valueOf(result.verification()));
        // The folder reads back, and the same desired schema is now "no changes".
        MigrationFolder read = new FolderReader().read(folder);
        assertEquals(3, read.migrations().size());
        Generator.Result again = generator(true).generate(new Generator.Request(desiredSnapshot(), null, null, List.of(), false,
                false, false));
        assertTrue(again.entries().isEmpty());
        assertTrue(again.plan().isEmpty());
    }

    @Test
    void generatedHistoryAppliesAndShowsNoDrift() throws Exception {
        generator(true).generate(new Generator.Request(desiredSnapshot(), null, "add_posts", List.of(), false, false, false));
        try (TestDatabase database = TestDatabase.create("mellon_generated")) {
            MigratorTest.migrator(database.database(), folder, TrackingTable.defaults()).apply(ApplyOptions.defaults(), RunContext.of("test"));
            SchemaInspector inspector = SchemaDriftTest.inspector(database.database(), folder);
            var expected = SchemaInspector.modelOf(inspector.expected(new FolderReader().read(folder), null));
            var live = inspector.introspect(SchemaInspector.schemasOf(expected), dev.mellon.migrator.schema.NameFilter.all());
            SchemaPlan drift = new SchemaComparer(canonicalizer).plan(SchemaSource.postgres("database", live.schema()),
                    SchemaSource.snapshot("migrations", expected), List.of(), SchemaComparer.Style.DRIZZLE);
            assertEquals("canonical", drift.comparison());
            assertEquals(List.of(), drift.changes());
        }
    }

    @Test
    void sqlInputIsParsedByPostgresAndErrorsPointAtLineAndColumn() {
        dev.mellon.migrator.engine.sandbox.SandboxStatementException e = assertThrows(dev.mellon.migrator.engine.sandbox.SandboxStatementException.class, () -> generator(false).generate(
                new Generator.Request(null, "CREATE TABLE a (id int);\nCREATE TABLE b (id intt);", null, List.of(), false, false, true)));
        assertEquals("42704", e.sqlState());
        assertEquals(2, e.line());
        assertEquals(20, e.column());
    }

    @Test
    void sqlInputGeneratesWhatDiffers() {
        Generator.Result result = generator(false).generate(new Generator.Request(null, """
                CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email text NOT NULL,
                  created_at timestamp DEFAULT now() NOT NULL, new_column varchar(255), bio text);
                CREATE UNIQUE INDEX email_idx ON users (email);
                """, "bio", List.of(), false, false, true));
        assertEquals("canonical", result.plan().comparison());
        assertEquals(List.of("ALTER TABLE \"users\" ADD COLUMN \"bio\" text;"), result.plan().sql());
        assertFalse(result.written());
    }

    @Test
    void renameHintsMakeOneRenameAndCandidatesAreOffered() throws IOException {
        String renamed = Files.readString(EXAMPLE.resolve("meta/0001_snapshot.json")).replace("\"new_column\"", "\"bio\"");
        Generator.Result plain = generator(false).generate(new Generator.Request(renamed, null, null, List.of(), false, false, true));
        assertEquals(List.of("ALTER TABLE \"users\" ADD COLUMN \"bio\" varchar(255);", "ALTER TABLE \"users\" DROP COLUMN \"new_column\";"),
                plain.plan().sql());
        assertEquals(List.of(new Rename(Rename.Kind.COLUMN, "public.users.new_column", "public.users.bio")),
                plain.plan().renameCandidates());
        Generator.Result hinted = generator(false).generate(new Generator.Request(renamed, null, null,
                List.of(new Rename(Rename.Kind.COLUMN, "public.users.new_column", "public.users.bio")), false, false, true));
        assertEquals(List.of("ALTER TABLE \"users\" RENAME COLUMN \"new_column\" TO \"bio\";"), hinted.plan().sql());
        assertThrows(dev.mellon.migrator.diff.InvalidRenameException.class, () -> generator(false).generate(new Generator.Request(
                renamed, null, null, List.of(new Rename(Rename.Kind.COLUMN, "public.users.missing", "public.users.bio")), false,
                false, true)));
    }

    @Test
    void customWritesTheHeaderAndThePreviousSchema() throws IOException {
        Generator.Result result = generator(true).generate(new Generator.Request(null, null, "seed", List.of(), false, true, false));
        assertEquals("0002_seed", result.entries().get(0).tag());
        assertEquals(Generator.CUSTOM_SQL, Files.readString(folder.resolve("0002_seed.sql")));
        assertEquals(JSON.readTree(Files.readString(EXAMPLE.resolve("meta/0001_snapshot.json"))).path("tables"),
                JSON.readTree(Files.readString(folder.resolve("meta/0002_snapshot.json"))).path("tables"));
    }

    @Test
    void twoSnapshotsWithOneParentAreAConflict() throws IOException {
        String branch = Files.readString(folder.resolve("meta/0001_snapshot.json")).replace("de854a09-29e7-4fab-8034-caccf817d528",
                "11111111-29e7-4fab-8034-caccf817d528");
        Files.writeString(folder.resolve("meta/0002_snapshot.json"), branch, StandardCharsets.UTF_8);
        SnapshotConflictException e = assertThrows(SnapshotConflictException.class, () -> generator(true).generate(
                new Generator.Request(desiredSnapshot(), null, null, List.of(), false, false, false)));
        assertEquals(List.of("0001_snapshot.json", "0002_snapshot.json"), List.of(e.first(), e.second()));
    }

    @Test
    void onlinePlanPutsConcurrentIndexesInAMigrationOfTheirOwn() throws IOException {
        ObjectNode snapshot = (ObjectNode) JSON.readTree(Files.readString(EXAMPLE.resolve("meta/0001_snapshot.json")));
        ((ObjectNode) snapshot.path("tables").path("public.users").path("indexes")).set("users_name_idx", JSON.readTree(
                "{\"name\":\"users_name_idx\",\"columns\":[{\"expression\":\"name\",\"isExpression\":false,\"asc\":true,\"nulls\":\"last\"}],"
                        + "\"isUnique\":false,\"concurrently\":false,\"method\":\"btree\",\"with\":{}}"));
        Generator.Result result = generator(true).generate(new Generator.Request(snapshot.toString(), null, "name_index",
                List.of(), true, false, false));
        assertEquals(1, result.entries().size());
        assertEquals("COMMIT;--> statement-breakpoint\nCREATE INDEX CONCURRENTLY \"users_name_idx\" ON \"users\" USING btree (\"name\");",
                Files.readString(folder.resolve("0002_name_index_concurrent_indexes.sql")));
        assertEquals(3, new FolderReader().read(folder).migrations().size());
    }

    @Test
    void aMigrationThatFailsOnPostgresIsNeitherWrittenNorReturned() throws IOException {
        // The desired schema's own text makes the SQL fail: a default that calls a function nobody has.
        ObjectNode snapshot = (ObjectNode) JSON.readTree(desiredSnapshot());
        ((ObjectNode) snapshot.path("tables").path("public.users").path("columns").path("nickname")).put("default", "no_such_function()");
        UnprovenMigrationException e = assertThrows(UnprovenMigrationException.class, () -> generator(true).generate(
                new Generator.Request(snapshot.toString(), null, "broken", List.of(), false, false, false)));
        Verification.Failed failed = assertInstanceOf(Verification.Failed.class, e.verification());
        assertEquals("0002_broken", failed.tag());
        assertEquals("42883", failed.sqlState(), "undefined function");
        assertTrue(failed.statement().contains("ADD COLUMN \"nickname\""), failed.statement());
        assertTrue(e.statements().size() >= 2, e.statements().toString());
        assertFalse(Files.exists(folder.resolve("0002_broken.sql")), "nothing written");
        // Asked not to prove it, generate hands it out, and says it is unproven.
        Generator.Result unproven = generator(false).generate(new Generator.Request(snapshot.toString(), null, "broken", List.of(),
                false, false, true, false, false));
        assertInstanceOf(Verification.NotVerified.class, unproven.verification());
    }

    @Test
    void aStepOnWhatTheHistoryDisagreesWithIsWrittenAgainstWhatTheHistoryMade() throws IOException {
        // The history's SQL was edited by hand: 0001 no longer adds new_column, though its snapshot says it does.
        Files.writeString(folder.resolve("0001_add_new_column.sql"), "SELECT 1;");
        ObjectNode snapshot = (ObjectNode) JSON.readTree(Files.readString(EXAMPLE.resolve("meta/0001_snapshot.json")));
        ((ObjectNode) snapshot.path("tables").path("public.users").path("columns").path("new_column")).put("notNull", true);
        // From the snapshots alone the step is SET NOT NULL, which fails where new_column does not exist.
        Generator.Result result = generator(false).generate(new Generator.Request(snapshot.toString(), null, "strict", List.of(),
                false, false, true));
        assertInstanceOf(Verification.Verified.class, result.verification(), String.valueOf(result.verification()));
        assertEquals(List.of("ALTER TABLE \"users\" ADD COLUMN \"new_column\" varchar(255) NOT NULL;"),
                result.entries().get(0).statements().stream().map(dev.mellon.migrator.ddl.Statement::sql).toList());
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("column public.users.new_column")), result.warnings().toString());
    }

    @Test
    void readOnlyFolderStillReturnsTheFiles() throws IOException {
        Generator.Result result = generator(false).generate(new Generator.Request(desiredSnapshot(), null, "x", List.of(), false,
                false, false));
        assertFalse(result.written());
        assertFalse(Files.exists(folder.resolve("0002_x.sql")));
        assertTrue(result.entries().get(0).files().sql().startsWith("CREATE TABLE \"posts\""));
    }
}
