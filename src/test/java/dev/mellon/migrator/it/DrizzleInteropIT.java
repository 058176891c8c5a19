package dev.mellon.migrator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.Corpus;
import dev.mellon.migrator.testing.DrizzleOrm;
import dev.mellon.migrator.testing.ServiceProcess;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A team switches between {@code npm run db:migrate} (the real drizzle-orm migrator) and the service, in both
 * directions: nothing runs twice and nothing is skipped.
 */
class DrizzleInteropIT {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void drizzleAppliesTheFirstHalfAndTheServiceOnlyTheRest(@TempDir Path dir) throws Exception {
        Path corpus = Corpus.folder("claude_code_hub");
        JsonNode journal = json.readTree(corpus.resolve("meta/_journal.json").toFile());
        List<String> tags = tags(journal);
        int half = tags.size() / 2;
        Path firstHalf = copyWithJournalPrefix(corpus, dir.resolve("half"), journal, half);

        try (TestDatabase database = TestDatabase.create("mellon_interop")) {
            DrizzleOrm.migrate(database.database(), firstHalf);
            List<String> drizzleRows;
            try (Connection c = database.database().connect()) {
                drizzleRows = Catalog.trackingRows(c);
            }
            assertEquals(half, drizzleRows.size());

            try (ServiceProcess service = ServiceProcess.start(database.database(), corpus)) {
                JsonNode history = json.readTree(service.get("/migrations").body());
                assertEquals(half, history.get("counts").get("applied").asInt(), "our hashes and whens match drizzle's rows");
                assertEquals(tags.size() - half, history.get("counts").get("pending").asInt());

                HttpResponse<String> apply = service.post("/migrations/apply", null);
                assertEquals(200, apply.statusCode(), apply.body());
                List<String> applied = new ArrayList<>();
                json.readTree(apply.body()).get("applied").forEach(a -> applied.add(a.get("tag").asText()));
                assertEquals(tags.subList(half, tags.size()), applied);
            }
            try (Connection c = database.database().connect()) {
                List<String> rows = Catalog.trackingRows(c);
                assertEquals(tags.size(), rows.size());
                assertEquals(drizzleRows, rows.subList(0, half));
            }
        }
    }

    @Test
    void afterTheServiceAppliedEverythingDrizzleFindsNothingToDo() throws Exception {
        Path corpus = Corpus.folder("dokploy");
        int entries = tags(json.readTree(corpus.resolve("meta/_journal.json").toFile())).size();
        try (TestDatabase database = TestDatabase.create("mellon_interop")) {
            try (ServiceProcess service = ServiceProcess.start(database.database(), corpus)) {
                HttpResponse<String> apply = service.post("/migrations/apply", null);
                assertEquals(200, apply.statusCode(), apply.body());
                assertEquals(entries, json.readTree(apply.body()).get("applied").size());
            }
            List<String> before;
            String objectsBefore;
            try (Connection c = database.database().connect()) {
                before = Catalog.strings(c, "select id || ' ' || hash || ' ' || created_at from drizzle.__drizzle_migrations order by id");
                objectsBefore = String.join("\n", Catalog.userObjects(c));
            }
            DrizzleOrm.migrate(database.database(), corpus);
            try (Connection c = database.database().connect()) {
                assertEquals(before, Catalog.strings(c, "select id || ' ' || hash || ' ' || created_at from drizzle.__drizzle_migrations order by id"));
                assertEquals(objectsBefore, String.join("\n", Catalog.userObjects(c)));
            }
        }
    }

    private static List<String> tags(JsonNode journal) {
        List<String> tags = new ArrayList<>();
        journal.get("entries").forEach(e -> tags.add(e.get("tag").asText()));
        return tags;
    }

    /** A copy of the folder whose journal names only the first {@code count} entries. */
    private Path copyWithJournalPrefix(Path from, Path to, JsonNode journal, int count) throws Exception {
        Files.createDirectories(to.resolve("meta"));
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".sql"))::iterator) {
                Files.copy(file, to.resolve(file.getFileName().toString()));
            }
        }
        ObjectNode copy = journal.deepCopy();
        ArrayNode entries = json.createArrayNode();
        for (int i = 0; i < count; i++) {
            entries.add(journal.get("entries").get(i));
        }
        copy.set("entries", entries);
        Files.writeString(to.resolve("meta/_journal.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(copy));
        return to;
    }
}
