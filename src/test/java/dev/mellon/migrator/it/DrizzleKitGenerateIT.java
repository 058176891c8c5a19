package dev.mellon.migrator.it;

import dev.mellon.migrator.testing.TestSandboxes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mellon.migrator.engine.schema.Canonicalizer;
import dev.mellon.migrator.engine.generate.Generator;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.DrizzleOrm;
import dev.mellon.migrator.testing.ServiceProcess;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our generate against the real {@code drizzle-kit generate} (0.31.11, from npm) on a TypeScript schema in a drizzle-kit
 * project: drizzle-kit starts the folder, we write the next migration from the snapshot {@code generateDrizzleJson}
 * gives for the edited schema, and then drizzle-kit finds nothing left to generate, {@code check} is happy, and the SQL,
 * snapshot and journal entry are the ones drizzle-kit itself writes for the same edit. The folder then applies cleanly.
 * <p>
 * The schemas are {@code src/test/resources/drizzle-kit/generate/step1.ts} (an enum, tables with serial PKs, FKs,
 * uniques, an index, a check, jsonb and array defaults, a table in schema {@code app}) and {@code step2.ts} (adds a schema,
 * an enum, enum values, a sequence, a view, tables, columns, indexes, constraints; changes defaults, types, not null and
 * an FK; replaces a check and an index). No column, table, enum, schema, sequence or view is both dropped and created in
 * step 2: drizzle-kit would prompt for a rename.
 */
class DrizzleKitGenerateIT {

    /**
     * The deliberate differences from drizzle-kit (docs/schema.md) that show in this test, as "drizzle-kit's text" to "ours",
     * applied to drizzle-kit's SQL before the byte comparison. None of them applies to these schemas (no quote in a json
     * or array default or in an identifier, no type change with a falsy default or to/from an enum, no identity added to
     * an existing table, no enum value removed, no pk or table dropped).
     */
    private static final Map<String, String> DELIBERATE_DIFFERENCES = Map.of();

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void generateWritesWhatDrizzleKitWrites(@TempDir Path dir) throws Exception {
        try {
            compareWithDrizzleKit(dir);
        } finally {
            // The projects link node_modules to the shared install; unlink before @TempDir cleans up.
            Files.deleteIfExists(dir.resolve("ours/node_modules"));
            Files.deleteIfExists(dir.resolve("theirs/node_modules"));
        }
    }

    private void compareWithDrizzleKit(Path dir) throws Exception {
        long started = System.nanoTime();
        String step1 = resource("drizzle-kit/generate/step1.ts");
        String step2 = resource("drizzle-kit/generate/step2.ts");

        // 1. drizzle-kit starts the folder from the step-1 schema, in our project and in a second one for reference.
        Path ours = DrizzleOrm.kitProject(dir.resolve("ours"), step1);
        DrizzleOrm.kit(ours, "generate", "--name", "init");
        Path oursFolder = ours.resolve("drizzle");
        assertTrue(Files.isRegularFile(oursFolder.resolve("0000_init.sql")), "drizzle-kit wrote 0000_init.sql");
        Path theirs = DrizzleOrm.kitProject(dir.resolve("theirs"), step1);
        Path theirsFolder = theirs.resolve("drizzle");
        copyTree(oursFolder, theirsFolder);

        // 2. The step-2 schema, as drizzle-kit sees it, goes to our generator.
        Files.writeString(ours.resolve("schema.ts"), step2, StandardCharsets.UTF_8);
        Files.writeString(theirs.resolve("schema.ts"), step2, StandardCharsets.UTF_8);
        String desired = DrizzleOrm.drizzleJson(ours);
        Generator.Result result;
        try (TestDatabase shadowServer = TestDatabase.create("mellon_kitgen")) {
            TestDatabase.Database db = shadowServer.database();
            Canonicalizer canonicalizer = new Canonicalizer(TestSandboxes.on(db));
            Generator generator = new Generator(oursFolder, new FolderReader(), new SnapshotCodec(),
                    new SchemaComparer(canonicalizer), canonicalizer, TestSandboxes.verifier(TestSandboxes.on(db)), true, Clock.systemUTC());
            result = generator.generate(new Generator.Request(desired, null, "step2", List.of(), false, false, false));
        }
        assertTrue(result.written(), "our generate wrote its files");
        assertEquals(List.of("0001_step2"), result.entries().stream().map(Generator.Entry::tag).toList(), result.warnings().toString());
        assertEquals(List.of(), result.warnings(), "our generate warned");

        // 3. drizzle-kit reads our files as its own: nothing left to generate, and check is happy.
        Map<String, String> before = files(oursFolder);
        String again = DrizzleOrm.kit(ours, "generate");
        assertTrue(again.contains("No schema changes"), "drizzle-kit generate after ours:\n" + again);
        assertEquals(before, files(oursFolder), "drizzle-kit generate changed the folder after ours");
        String check = DrizzleOrm.kit(ours, "check");
        assertTrue(check.contains("Everything's fine"), "drizzle-kit check:\n" + check);

        // 4. drizzle-kit's own step 2 for the same edit, compared with ours.
        DrizzleOrm.kit(theirs, "generate", "--name", "step2");
        assertEquals(files(theirsFolder).keySet(), files(oursFolder).keySet(), "the files of both folders");
        String theirSql = Files.readString(theirsFolder.resolve("0001_step2.sql"), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> d : DELIBERATE_DIFFERENCES.entrySet()) {
            theirSql = theirSql.replace(d.getKey(), d.getValue());
        }
        String ourSql = Files.readString(oursFolder.resolve("0001_step2.sql"), StandardCharsets.UTF_8);
        assertEquals(lines(theirSql), lines(ourSql), "0001_step2.sql, statement by statement (drizzle-kit vs ours)");
        assertEquals(theirSql, ourSql, "0001_step2.sql byte for byte (drizzle-kit vs ours)");

        JsonNode init = json.readTree(oursFolder.resolve("meta/0000_snapshot.json").toFile());
        JsonNode ourSnapshot = json.readTree(oursFolder.resolve("meta/0001_snapshot.json").toFile());
        JsonNode theirSnapshot = json.readTree(theirsFolder.resolve("meta/0001_snapshot.json").toFile());
        assertEquals(init.get("id"), ourSnapshot.get("prevId"), "our snapshot follows drizzle-kit's");
        assertEquals(body(theirSnapshot), body(ourSnapshot), "meta/0001_snapshot.json without id and prevId");

        JsonNode ourJournal = json.readTree(oursFolder.resolve("meta/_journal.json").toFile());
        JsonNode theirJournal = json.readTree(theirsFolder.resolve("meta/_journal.json").toFile());
        assertTrue(ourJournal.at("/entries/1/when").asLong() > ourJournal.at("/entries/0/when").asLong(), "when grows");
        assertEquals(withoutWhen(theirJournal, 1), withoutWhen(ourJournal, 1), "meta/_journal.json without the new when");
        assertEquals(theirJournal.at("/entries/0"), ourJournal.at("/entries/0"), "the init entry is untouched");

        // 5. Our folder applies cleanly on a fresh database, which then matches its last snapshot.
        try (TestDatabase database = TestDatabase.create("mellon_kitgen_apply");
             ServiceProcess service = ServiceProcess.start(database.database(), oursFolder)) {
            HttpResponse<String> apply = service.post("/migrations/apply", null);
            assertEquals(200, apply.statusCode(), apply.body());
            List<String> applied = new ArrayList<>();
            json.readTree(apply.body()).get("applied").forEach(a -> applied.add(a.get("tag").asText()));
            assertEquals(List.of("0000_init", "0001_step2"), applied);
            HttpResponse<String> drift = service.get("/schema/diff");
            assertEquals(200, drift.statusCode(), drift.body());
            assertTrue(json.readTree(drift.body()).get("inSync").asBoolean(), "drift after apply: " + drift.body());
            try (Connection c = database.database().connect()) {
                assertEquals(List.of("sad", "meh", "ok", "happy"), Catalog.strings(c,
                        "select enumlabel::text from pg_enum where enumtypid = 'public.mood'::regtype order by enumsortorder"));
                assertEquals(2, Catalog.trackingRows(c).size());
            }
        }
        System.out.printf("[DrizzleKitGenerateIT] %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DrizzleKitGenerateIT.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A snapshot without its identity: what drizzle-kit derives from the schema. */
    private static JsonNode body(JsonNode snapshot) {
        ObjectNode copy = snapshot.deepCopy();
        copy.remove("id");
        copy.remove("prevId");
        return copy;
    }

    private static JsonNode withoutWhen(JsonNode journal, int entry) {
        ObjectNode copy = journal.deepCopy();
        ((ObjectNode) copy.get("entries").get(entry)).remove("when");
        return copy;
    }

    /** The statements of a migration, for a readable failure before the byte comparison. */
    private static List<String> lines(String sql) {
        return List.of(sql.split("--> statement-breakpoint\n", -1));
    }

    /** Every file of a folder by relative path, as text. */
    private static Map<String, String> files(Path folder) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(folder.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
