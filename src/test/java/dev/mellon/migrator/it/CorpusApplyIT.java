package dev.mellon.migrator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.Corpus;
import dev.mellon.migrator.testing.CorpusDefects;
import dev.mellon.migrator.testing.ServiceProcess;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every real history applies through POST /migrations/apply into an empty database, with drizzle's exact rows. */
class CorpusApplyIT {

    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"dokploy", "ctrlplane", "claude_code_hub", "pluggedin_app"})
    void appliesTheWholeHistoryOnceWithDrizzlesRows(String corpus) throws Exception {
        Path folder = Corpus.folder(corpus);
        JsonNode journal = json.readTree(folder.resolve("meta/_journal.json").toFile());
        List<String> expectedRows = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (JsonNode entry : journal.get("entries")) {
            String tag = entry.get("tag").asText();
            tags.add(tag);
            expectedRows.add(sha256(Files.readAllBytes(folder.resolve(tag + ".sql"))) + " " + entry.get("when").asLong());
        }
        try (TestDatabase database = TestDatabase.create("mellon_corpus");
             ServiceProcess service = ServiceProcess.start(database.database(), folder)) {
            JsonNode before = json.readTree(service.get("/schema/diff").body());
            assertEquals(tags.size(), before.get("pending").size(), "nothing applied yet");
            assertTrue(before.get("warnings").toString().contains("not applied"), before.get("warnings").toString());
            assertEquals("replay", before.get("comparison").asText(), before.toString());
            assertTrue(before.get("inSync").asBoolean(), "pending entries are not drift: " + before.get("differences"));

            HttpResponse<String> first = service.post("/migrations/apply", null);
            assertEquals(200, first.statusCode(), first.body());
            JsonNode result = json.readTree(first.body());
            assertEquals("applied", result.get("outcome").asText());
            List<String> applied = new ArrayList<>();
            result.get("applied").forEach(a -> applied.add(a.get("tag").asText()));
            assertEquals(tags, applied);

            try (Connection c = database.database().connect()) {
                assertEquals(expectedRows, Catalog.trackingRows(c));
            }

            HttpResponse<String> second = service.post("/migrations/apply", "{}");
            assertEquals(200, second.statusCode(), second.body());
            JsonNode again = json.readTree(second.body());
            assertEquals("up-to-date", again.get("outcome").asText());
            assertEquals(tags.size(), again.get("alreadyAppliedCount").asInt());

            JsonNode history = json.readTree(service.get("/migrations").body());
            assertEquals(tags.size(), history.get("counts").get("applied").asInt());
            try (Connection c = database.database().connect()) {
                assertEquals(tags.size(), Catalog.trackingRows(c).size(), "the second apply added no row");
            }
            // Drift against what the history's SQL produces: none, right after a clean apply.
            HttpResponse<String> drift = service.get("/schema/diff");
            assertEquals(200, drift.statusCode(), drift.body());
            JsonNode diff = json.readTree(drift.body());
            assertEquals("replay", diff.get("comparison").asText(), diff.get("warnings").toString());
            assertEquals(0, diff.get("differences").size(), diff.get("differences").toString());
            assertTrue(diff.get("inSync").asBoolean());
            assertEquals(0, diff.get("pending").size());
            assertEquals(tags.size(), diff.get("replay").get("entries").asInt());
            // The snapshots, not the database, disagree with the SQL: a folder finding of check, exactly the defects of
            // each history, verified one by one.
            HttpResponse<String> check = service.get("/migrations/check");
            assertEquals(200, check.statusCode(), check.body());
            JsonNode audit = json.readTree(check.body()).get("snapshotAudit");
            List<String> disagreements = new ArrayList<>();
            audit.get("last").forEach(d -> disagreements.add(d.get("objectKind").asText() + " " + d.get("change").asText()
                    + " " + d.get("name").asText() + (d.has("attribute") ? " " + d.get("attribute").asText() : "")));
            assertEquals(CorpusDefects.EXPECTED.get(corpus), disagreements.stream().sorted().toList());
            if (corpus.equals("ctrlplane")) {
                assertTrue(result.get("warnings").toString().contains("0065_familiar_jazinda"), result.get("warnings").toString());
            }
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
