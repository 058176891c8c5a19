package dev.mellon.migrator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.ServiceProcess;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a caller is told when the folder or the history is wrong. One service serves a folder that the test rewrites
 * between requests, as a developer would while fixing it.
 */
class ApplyProblemsIT {

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private void reset() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
        }
    }

    private JsonNode problem(HttpResponse<String> response, int status, String type) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("content-type").orElse(""));
        JsonNode body = json.readTree(response.body());
        assertEquals("https://mellon-migrator.dev/problems/" + type, body.get("type").asText(), response.body());
        assertFalse(response.body().contains("\tat "), "no stack trace");
        return body;
    }

    @Test
    void folderProblemsAre422NamingTheFileAndNeverReachTheDatabase() throws Exception {
        new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").write();
        try (TestDatabase database = TestDatabase.create("mellon_problems");
             ServiceProcess service = ServiceProcess.start(database.database(), dir)) {
            Files.delete(dir.resolve("meta/_journal.json"));
            assertEquals("meta/_journal.json", problem(service.post("/migrations/apply", null), 422, "journal-missing").get("file").asText());

            Files.writeString(dir.resolve("meta/_journal.json"), "{ not json");
            JsonNode notJson = problem(service.post("/migrations/apply", null), 422, "journal-invalid");
            assertEquals("meta/_journal.json", notJson.get("file").asText());
            assertTrue(notJson.get("detail").asText().contains("line 1"), notJson.toString());

            reset();
            new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").migration("two", "SELECT 1;").write();
            Files.delete(dir.resolve("0001_two.sql"));
            assertEquals("0001_two.sql", problem(service.get("/migrations"), 422, "migration-file-missing").get("file").asText());

            reset();
            new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").write();
            Files.write(dir.resolve("0000_one.sql"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'S', 'E', 'L', 'E', 'C', 'T', ';'});
            assertEquals("0000_one.sql", problem(service.post("/migrations/apply", null), 422, "migration-file-invalid").get("file").asText());

            Files.writeString(dir.resolve("meta/_journal.json"), "{\"entries\":[{\"tag\":\"../../etc/passwd\",\"when\":1}]}");
            JsonNode tag = problem(service.post("/migrations/apply", null), 422, "invalid-tag");
            assertEquals("/entries/0/tag", tag.get("field").asText());

            reset();
            new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").write();
            Files.writeString(dir.resolve("meta/0000_snapshot.json"), "{\"id\":\"a\",\"prevId\":\"00000000-0000-0000-0000-000000000000\","
                    + "\"version\":\"7\",\"dialect\":\"postgresql\",\"tables\":{},\"enums\":{},\"schemas\":{},\"colour\":\"red\"}");
            // Drift compares with the replayed SQL and reads no snapshot; the snapshot source names the file.
            JsonNode snapshot = problem(service.get("/schema?source=migrations"), 422, "snapshot-invalid");
            assertEquals("meta/0000_snapshot.json", snapshot.get("file").asText());
            assertEquals("/colour", snapshot.get("field").asText());
            JsonNode check = json.readTree(service.get("/migrations/check").body());
            assertFalse(check.get("ok").asBoolean());
            assertEquals("snapshot-malformed", check.get("findings").get(0).get("code").asText());

            try (Connection c = database.database().connect()) {
                assertFalse(Catalog.exists(c, "drizzle.__drizzle_migrations"), "no folder problem may touch the database");
            }
        }
    }

    @Test
    void failedMigrationIs422WithTheStatementAndEverythingRolledBack() throws Exception {
        new FolderBuilder(dir)
                .migration("one", "CREATE TABLE one (id int);")
                .migration("two", "CREATE TABLE two (id int);", "INSERT INTO two VALUES ('not a number');")
                .write();
        try (TestDatabase database = TestDatabase.create("mellon_problems");
             ServiceProcess service = ServiceProcess.start(database.database(), dir)) {
            JsonNode failed = problem(service.post("/migrations/apply", null), 422, "migration-failed");
            assertEquals("0001_two", failed.get("tag").asText());
            assertEquals("0001_two.sql", failed.get("file").asText());
            assertEquals(2, failed.get("statementIndex").asInt());
            assertEquals("INSERT INTO two VALUES ('not a number');", failed.get("statement").asText());
            assertEquals("22P02", failed.get("sqlState").asText());
            assertTrue(failed.get("serverMessage").asText().contains("invalid input syntax"), failed.toString());
            // 1-based within the chunk as sent, which starts with the newline after the breakpoint marker.
            assertEquals("\nINSERT INTO two VALUES (".length() + 1, failed.get("position").asInt());
            assertEquals("[\"0000_one\",\"0001_two\"]", failed.get("rolledBack").toString());
            try (Connection c = database.database().connect()) {
                assertFalse(Catalog.exists(c, "public.one"));
                assertEquals(0, Catalog.trackingRows(c).size());
            }

            new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);")
                    .migration("two", "CREATE TABLE two (id int);", "CREATE INDEX CONCURRENTLY two_id ON two (id);").write();
            // drizzle-orm fails here with 25001; the service runs the migration outside the batch transaction.
            HttpResponse<String> concurrently = service.post("/migrations/apply", null);
            assertEquals(200, concurrently.statusCode(), concurrently.body());
            JsonNode applied = new com.fasterxml.jackson.databind.ObjectMapper().readTree(concurrently.body()).get("applied");
            assertEquals("no-transaction", applied.get(1).get("mode").asText(), concurrently.body());
        }
    }

    @Test
    void changedAndOutOfOrderAre409NamingTheEntriesUntilAllowed() throws Exception {
        new FolderBuilder(dir)
                .migrationAt("one", 1_700_000_000_000L, "CREATE TABLE one (id int);")
                .migrationAt("three", 1_700_000_030_000L, "CREATE TABLE three (id int);")
                .write();
        try (TestDatabase database = TestDatabase.create("mellon_problems");
             ServiceProcess service = ServiceProcess.start(database.database(), dir)) {
            assertEquals(200, service.post("/migrations/apply", null).statusCode());

            // A branch merged a migration generated before "three", and someone edited "one" after it ran.
            reset();
            new FolderBuilder(dir)
                    .migrationAt("one", 1_700_000_000_000L, "CREATE TABLE one (id bigint);")
                    .migrationAt("branch", 1_700_000_010_000L, "CREATE TABLE branch (id int);")
                    .migrationAt("three", 1_700_000_030_000L, "CREATE TABLE three (id int);")
                    .write();

            JsonNode changed = problem(service.post("/migrations/apply", null), 409, "migration-changed");
            assertEquals("0000_one", changed.get("migrations").get(0).get("tag").asText());
            assertEquals("allowChanged", changed.get("allowWith").asText());

            JsonNode outOfOrder = problem(service.post("/migrations/apply", "{\"allowChanged\": true}"), 409, "migration-out-of-order");
            assertEquals("0001_branch", outOfOrder.get("migrations").get(0).get("tag").asText());
            assertTrue(outOfOrder.get("detail").asText().contains("0001_branch"));

            JsonNode status = json.readTree(service.get("/migrations").body());
            assertEquals("changed", status.get("migrations").get(0).get("status").asText());
            assertEquals("out-of-order", status.get("migrations").get(1).get("status").asText());
            assertEquals("applied", status.get("migrations").get(2).get("status").asText());

            HttpResponse<String> allowed = service.post("/migrations/apply", "{\"allowChanged\": true, \"allowOutOfOrder\": true}");
            assertEquals(200, allowed.statusCode(), allowed.body());
            assertEquals("0001_branch", json.readTree(allowed.body()).get("applied").get(0).get("tag").asText());
            try (Connection c = database.database().connect()) {
                assertTrue(Catalog.exists(c, "public.branch"));
            }
        }
    }
}
