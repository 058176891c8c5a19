package dev.mellon.migrator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.DrizzleOrm;
import dev.mellon.migrator.testing.FileTrees;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.ServiceProcess;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * drizzle 1.0 (the real drizzle-kit and drizzle-orm 1.0.0-rc.5 from npm) and the service on the same databases, in
 * both directions: the catalog and the tracking rows (hash, created_at, name) end up as drizzle-orm 1.0 leaves them.
 */
class Drizzle10InteropIT {

    private static final String ROWS = "select hash || ' ' || created_at || ' ' || coalesce(name, 'NULL')"
            + " from drizzle.__drizzle_migrations order by id";

    private static final String USERS = """
            import { integer, pgEnum, pgTable, serial, text } from 'drizzle-orm/pg-core';
            export const roleEnum = pgEnum('role', ['admin', 'member']);
            export const users = pgTable('users', {
              id: serial('id').primaryKey(),
              email: text('email').unique().notNull(),
              role: roleEnum('role').default('member').notNull(),
            });
            """;
    private static final String POSTS = """
            export const posts = pgTable('posts', {
              id: serial('id').primaryKey(),
              authorId: integer('author_id').references(() => users.id),
              title: text('title'),
            });
            """;

    @TempDir
    static Path shared;

    /** Four migrations drizzle-kit 1.0 generated: two tables, a column and an index, a type change, a custom one. */
    private static Path kitFolder;

    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void generateWithDrizzleKit10() throws Exception {
        Path project = DrizzleOrm.ONE.kitProject(shared.resolve("kit"), USERS + POSTS);
        DrizzleOrm.ONE.kit(project, "generate", "--name", "init");
        Files.writeString(project.resolve("schema.ts"), USERS.replace("import { integer,", "import { index, timestamp, integer,")
                + POSTS.replace("  title: text('title'),\n});", "  title: text('title'),\n"
                + "  createdAt: timestamp('created_at').defaultNow().notNull(),\n}, (t) => [index('posts_created_at_idx').on(t.createdAt)]);"));
        DrizzleOrm.ONE.kit(project, "generate", "--name", "created_at");
        Files.writeString(project.resolve("schema.ts"), Files.readString(project.resolve("schema.ts"))
                .replace("text('email')", "varchar('email', { length: 320 })").replace("import { index,", "import { varchar, index,"));
        DrizzleOrm.ONE.kit(project, "generate", "--name", "email_type");
        DrizzleOrm.ONE.kit(project, "generate", "--custom", "--name", "seed");
        Path seed = directories(project.resolve("drizzle")).get(3).resolve("migration.sql");
        Files.writeString(seed, Files.readString(seed) + "\nINSERT INTO \"users\" (\"email\") VALUES ('admin@example.com');");
        kitFolder = project.resolve("drizzle");
        assertEquals(4, directories(kitFolder).size());
    }

    private static List<Path> directories(Path folder) throws Exception {
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static List<String> rows(TestDatabase.Database db) throws Exception {
        try (Connection c = db.connect()) {
            return Catalog.strings(c, ROWS);
        }
    }

    private static List<String> objects(TestDatabase.Database db) throws Exception {
        try (Connection c = db.connect()) {
            List<String> out = new ArrayList<>(Catalog.userObjects(c));
            if (Catalog.exists(c, "public.users")) {
                out.addAll(Catalog.strings(c, "select 'users ' || count(*) from users"));
            }
            return out;
        }
    }

    /** The rows and objects drizzle-orm 1.0 alone leaves after migrating {@code folder} on a fresh database. */
    private static List<List<String>> drizzleOnly(Path folder) throws Exception {
        try (TestDatabase reference = TestDatabase.create("mellon_d10_ref")) {
            DrizzleOrm.ONE.migrate(reference.database(), folder);
            return List.of(rows(reference.database()), objects(reference.database()));
        }
    }

    private List<String> appliedTags(HttpResponse<String> apply) throws Exception {
        assertEquals(200, apply.statusCode(), apply.body());
        List<String> tags = new ArrayList<>();
        json.readTree(apply.body()).get("applied").forEach(a -> tags.add(a.get("tag").asText()));
        return tags;
    }

    @Test
    void drizzleKit10GeneratesTheServiceAppliesAndDrizzleOrm10FindsNothingToDo() throws Exception {
        List<List<String>> reference = drizzleOnly(kitFolder);
        try (TestDatabase database = TestDatabase.create("mellon_d10")) {
            try (ServiceProcess service = ServiceProcess.start(database.database(), kitFolder)) {
                JsonNode history = json.readTree(service.get("/migrations").body());
                assertEquals("directories", history.get("folderFormat").asText());
                assertEquals(4, history.get("counts").get("pending").asInt());
                assertEquals(directories(kitFolder).stream().map(p -> p.getFileName().toString()).toList(),
                        appliedTags(service.post("/migrations/apply", null)));
            }
            assertEquals(reference.get(0), rows(database.database()));
            assertEquals(reference.get(1), objects(database.database()));

            DrizzleOrm.ONE.migrate(database.database(), kitFolder);
            assertEquals(reference.get(0), rows(database.database()), "drizzle-orm 1.0 ran nothing again");
            assertEquals(reference.get(1), objects(database.database()));
        }
    }

    @Test
    void drizzleOrm10AppliesTheFirstHalfAndTheServiceOnlyTheRest() throws Exception {
        List<List<String>> reference = drizzleOnly(kitFolder);
        Path half = shared.resolve("half");
        Files.createDirectories(half);
        List<Path> all = directories(kitFolder);
        for (Path directory : all.subList(0, 2)) {
            FileTrees.copy(directory, half.resolve(directory.getFileName().toString()));
        }
        try (TestDatabase database = TestDatabase.create("mellon_d10")) {
            DrizzleOrm.ONE.migrate(database.database(), half);
            try (ServiceProcess service = ServiceProcess.start(database.database(), kitFolder)) {
                assertEquals(all.subList(2, 4).stream().map(p -> p.getFileName().toString()).toList(),
                        appliedTags(service.post("/migrations/apply", null)));
            }
            List<String> rows = rows(database.database());
            assertEquals(reference.get(0), rows);
            assertEquals(reference.get(1), objects(database.database()));
        }
    }

    /**
     * A database drizzle-orm 0.45.4 migrated, whose team moves to 1.0. The service upgrades table and folder; the
     * result equals what drizzle-kit up and drizzle-orm 1.0 make of the same start, file for file and row for row, and
     * either tool applies what comes next.
     */
    @Test
    void a0xDatabaseIsUpgradedByTheServiceAsDrizzle10WouldThenEitherToolApplies() throws Exception {
        FolderBuilder journal = new FolderBuilder(shared.resolve("0x"))
                .migrationAt("init", 1_764_000_000_500L, "CREATE TABLE \"one\" (\"id\" integer);")
                .migrationAt("second", 1_764_000_003_250L, "ALTER TABLE \"one\" ADD COLUMN \"a\" integer;")
                .migrationAt("third", 1_764_000_007_900L, "ALTER TABLE \"one\" ADD COLUMN \"b\" integer;");
        Path original = journal.write();
        for (int i = 0; i < 3; i++) {
            Files.writeString(original.resolve(String.format("meta/%04d_snapshot.json", i)), snapshot(i), StandardCharsets.UTF_8);
        }
        Path ours = FileTrees.copy(original, shared.resolve("ours"));
        Path theirs = FileTrees.copy(original, shared.resolve("theirs"));
        Path next = shared.resolve("next/20260101000000_next");
        Files.createDirectories(next);
        Files.writeString(next.resolve("migration.sql"), "ALTER TABLE \"one\" ADD COLUMN \"c\" integer;");

        try (TestDatabase a = TestDatabase.create("mellon_d10_up"); TestDatabase b = TestDatabase.create("mellon_d10_up")) {
            DrizzleOrm.migrate(a.database(), original);
            DrizzleOrm.migrate(b.database(), original);

            // drizzle's way: drizzle-kit up, then drizzle-orm 1.0 upgrades the table and applies the next migration.
            Path project = DrizzleOrm.ONE.kitProject(shared.resolve("up-project"), "export {};\n");
            Files.move(theirs, project.resolve("drizzle"));
            DrizzleOrm.ONE.kit(project, "up");
            Path theirsUp = project.resolve("drizzle");
            FileTrees.copy(next, theirsUp.resolve(next.getFileName().toString()));
            DrizzleOrm.ONE.migrate(b.database(), theirsUp);

            // The service's way.
            try (ServiceProcess service = ServiceProcess.start(a.database(), ours)) {
                HttpResponse<String> upgrade = service.post("/migrations/upgrade", "{}");
                assertEquals(200, upgrade.statusCode(), upgrade.body());
                JsonNode body = json.readTree(upgrade.body());
                assertEquals("directories", body.get("formatAfter").asText());
                assertEquals(3, body.get("table").get("renames").size());
                FileTrees.copy(next, ours.resolve(next.getFileName().toString()));
                assertEquals(List.of(next.getFileName().toString()), appliedTags(service.post("/migrations/apply", null)));
            }
            assertEquals(rows(b.database()), rows(a.database()));
            assertEquals(objects(b.database()), objects(a.database()));
            for (Path directory : directories(theirsUp)) {
                Path mine = ours.resolve(directory.getFileName().toString());
                assertTrue(Files.isDirectory(mine), mine.toString());
                assertEquals(Files.readString(directory.resolve("migration.sql")), Files.readString(mine.resolve("migration.sql")));
            }
            assertFalse(Files.exists(ours.resolve("meta")));

            // And drizzle-orm 1.0 finds nothing to do on the service's result.
            List<String> before = rows(a.database());
            DrizzleOrm.ONE.migrate(a.database(), ours);
            assertEquals(before, rows(a.database()));
        }
    }

    /**
     * drizzle-orm 1.0 upgrades a table by the second of created_at alone. Two entries made in one second out of name
     * order make drizzle-kit up refuse until the second one's when is edited by hand; after that, both rows fall in the
     * first entry's second, drizzle-orm 1.0 names both after it, commits that, and runs the second migration again,
     * which fails for ever after. The service's check finds the misnamed row, its upgrade renames it by hash, and
     * drizzle-orm 1.0 then finds nothing to do.
     */
    @Test
    void aTableDrizzleOrm10MisnamedIsFoundByCheckAndRepairedByTheUpgrade() throws Exception {
        FolderBuilder journal = new FolderBuilder(shared.resolve("misnamed-0x"))
                .migrationAt("zebra", 1_764_000_000_900L, "CREATE TABLE \"one\" (\"id\" integer);")
                .migrationAt("ant", 1_764_000_000_950L, "ALTER TABLE \"one\" ADD COLUMN \"a\" integer;");
        Path original = journal.write();
        for (int i = 0; i < 2; i++) {
            Files.writeString(original.resolve(String.format("meta/%04d_snapshot.json", i)), snapshot(i), StandardCharsets.UTF_8);
        }
        try (TestDatabase database = TestDatabase.create("mellon_d10_misnamed")) {
            DrizzleOrm.migrate(database.database(), original);
            Path project = DrizzleOrm.ONE.kitProject(shared.resolve("misnamed-project"), "export {};\n");
            Path folder = FileTrees.copy(original, project.resolve("drizzle"));
            Path journalFile = folder.resolve("meta/_journal.json");
            // The hand edit drizzle-kit up asks for: "ant" one second later.
            Files.writeString(journalFile, Files.readString(journalFile).replace("1764000000950", "1764000001950"));
            DrizzleOrm.ONE.kit(project, "up");
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> DrizzleOrm.ONE.migrate(database.database(), folder), "drizzle-orm 1.0 runs \"ant\" again");
            assertEquals(List.of("20251124160000_zebra", "20251124160000_zebra"),
                    names(database.database()), "drizzle-orm 1.0's upgrade named both rows after the first migration");

            try (ServiceProcess service = ServiceProcess.start(database.database(), folder)) {
                JsonNode check = json.readTree(service.get("/migrations/check?database=true").body());
                List<String> codes = new ArrayList<>();
                check.get("findings").forEach(f -> codes.add(f.get("code").asText()));
                assertTrue(codes.contains("tracking-name-mismatch"), codes.toString());
                HttpResponse<String> upgrade = service.post("/migrations/upgrade", "{}");
                assertEquals(200, upgrade.statusCode(), upgrade.body());
                assertEquals(1, json.readTree(upgrade.body()).get("table").get("renames").size());
                assertEquals(2, json.readTree(service.get("/migrations").body()).get("counts").get("applied").asInt());
            }
            assertEquals(List.of("20251124160000_zebra", "20251124160001_ant"), names(database.database()));
            List<String> before = rows(database.database());
            DrizzleOrm.ONE.migrate(database.database(), folder);
            assertEquals(before, rows(database.database()));
        }
    }

    /**
     * The service generates the next migration of a folder drizzle-kit 1.0 wrote, from the desired state drizzle-kit
     * 1.0's API builds: afterwards drizzle-kit 1.0 itself finds no schema change (the deltas fold to its state), its
     * check passes, and drizzle-orm 1.0 applies the whole folder.
     */
    @Test
    void theServiceGeneratesFor10FoldersAndDrizzleKit10FindsNothingLeft() throws Exception {
        Path project = DrizzleOrm.ONE.kitProject(shared.resolve("service-generate"), "");
        FileTrees.copy(kitFolder, project.resolve("drizzle"));
        String schema = Files.readString(kitFolder.resolveSibling("schema.ts"))
                .replace("  role: roleEnum('role').default('member').notNull(),", "  role: roleEnum('role').default('member').notNull(),\n  bio: text('bio'),");
        Files.writeString(project.resolve("schema.ts"), schema);
        Files.writeString(project.resolve("schema.mjs"), schema);
        Files.writeString(project.resolve("state.mjs"), """
                import * as schema from './schema.mjs';
                import { generateDrizzleJson } from 'drizzle-kit/api-postgres';
                import { writeFileSync } from 'node:fs';
                writeFileSync(process.argv[2], JSON.stringify(await generateDrizzleJson(schema)));
                """);
        DrizzleOrm.ONE.node(project, "state.mjs", project.resolve("state.json").toString());
        String state = Files.readString(project.resolve("state.json"));

        try (TestDatabase database = TestDatabase.create("mellon_d10_gen")) {
            ServiceProcess service = ServiceProcess.launch(java.util.Map.of("DATABASE_URL", database.database().postgresUrl(),
                    "MIGRATOR_FOLDER", project.resolve("drizzle").toString(), "MIGRATOR_GENERATE_WRITE", "true"));
            try (service) {
                service.awaitReadyOrFail();
                HttpResponse<String> generated = service.post("/migrations/generate", "{\"name\": \"bio\", \"snapshot\": " + state + "}");
                assertEquals(201, generated.statusCode(), generated.body());
                JsonNode body = json.readTree(generated.body());
                assertTrue(body.get("verified").asBoolean(), generated.body());
                assertTrue(body.get("tag").asText().endsWith("_bio"), generated.body());
            }
            assertEquals(5, directories(project.resolve("drizzle")).size());
            String again = DrizzleOrm.ONE.kit(project, "generate");
            assertTrue(again.contains("No schema changes"), again);
            DrizzleOrm.ONE.kit(project, "check");
            DrizzleOrm.ONE.migrate(database.database(), project.resolve("drizzle"));
            try (Connection c = database.database().connect()) {
                assertEquals(List.of("bio"), Catalog.strings(c, "select column_name from information_schema.columns"
                        + " where table_name = 'users' and column_name = 'bio'"));
            }
        }
    }

    private static List<String> names(TestDatabase.Database db) throws Exception {
        try (Connection c = db.connect()) {
            return Catalog.strings(c, "select name from drizzle.__drizzle_migrations order by id");
        }
    }

    /** A minimal drizzle-kit 0.x snapshot of table "one" after step {@code i}, chained by prevId. */
    private static String snapshot(int i) {
        String columns = "\"id\": {\"name\": \"id\", \"type\": \"integer\", \"primaryKey\": false, \"notNull\": false}"
                + (i >= 1 ? ", \"a\": {\"name\": \"a\", \"type\": \"integer\", \"primaryKey\": false, \"notNull\": false}" : "")
                + (i >= 2 ? ", \"b\": {\"name\": \"b\", \"type\": \"integer\", \"primaryKey\": false, \"notNull\": false}" : "");
        return "{\"id\": \"00000000-0000-4000-8000-00000000000" + (i + 1) + "\", \"prevId\": \""
                + (i == 0 ? "00000000-0000-0000-0000-000000000000" : "00000000-0000-4000-8000-00000000000" + i) + "\","
                + " \"version\": \"7\", \"dialect\": \"postgresql\", \"tables\": {\"public.one\": {\"name\": \"one\","
                + " \"schema\": \"\", \"columns\": {" + columns + "}, \"indexes\": {}, \"foreignKeys\": {},"
                + " \"compositePrimaryKeys\": {}, \"uniqueConstraints\": {}, \"policies\": {}, \"checkConstraints\": {},"
                + " \"isRLSEnabled\": false}}, \"enums\": {}, \"schemas\": {}, \"sequences\": {}, \"roles\": {},"
                + " \"policies\": {}, \"views\": {}, \"_meta\": {\"columns\": {}, \"schemas\": {}, \"tables\": {}}}";
    }

}
