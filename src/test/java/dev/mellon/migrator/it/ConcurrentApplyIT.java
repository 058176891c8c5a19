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
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two service instances and thirty CI jobs apply at the same moment: every migration runs exactly once. */
class ConcurrentApplyIT {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void thirtyCallersOnTwoInstancesApplyEachMigrationOnceAndAreToldTheTruth(@TempDir Path dir) throws Exception {
        FolderBuilder builder = new FolderBuilder(dir).migration("log", "CREATE TABLE applied_log (tag text NOT NULL);");
        for (int i = 1; i < 15; i++) {
            // Data changes would be visibly doubled if a migration ran twice; the sleep makes the runs overlap.
            builder.migration("m" + i, "CREATE TABLE t" + i + " (id int);",
                    "INSERT INTO applied_log VALUES ('m" + i + "');", i == 7 ? "SELECT pg_sleep(0.5);" : "SELECT 1;");
        }
        Path folder = builder.write();
        Set<String> allTags = new HashSet<>();
        for (int i = 0; i < 15; i++) {
            allTags.add(builder.tag(i));
        }
        try (TestDatabase database = TestDatabase.create("mellon_concurrent");
             ServiceProcess a = ServiceProcess.start(database.database(), folder);
             ServiceProcess b = ServiceProcess.start(database.database(), folder)) {
            ExecutorService pool = Executors.newFixedThreadPool(30);
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ServiceProcess target = i % 2 == 0 ? a : b;
                calls.add(() -> {
                    start.await();
                    return target.post("/migrations/apply", null);
                });
            }
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (Callable<HttpResponse<String>> call : calls) {
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<String> appliedEverywhere = new ArrayList<>();
            int appliers = 0;
            for (Future<HttpResponse<String>> future : futures) {
                HttpResponse<String> response = future.get();
                assertEquals(200, response.statusCode(), response.body());
                JsonNode reply = json.readTree(response.body());
                Set<String> applied = new HashSet<>();
                reply.get("applied").forEach(m -> applied.add(m.get("tag").asText()));
                Set<String> already = new HashSet<>();
                reply.get("alreadyApplied").forEach(t -> already.add(t.asText()));
                // Accurate: each reply accounts for every migration exactly once, as applied by it or before it.
                Set<String> union = new HashSet<>(applied);
                union.addAll(already);
                assertEquals(allTags, union, response.body());
                assertEquals(applied.size() + already.size(), union.size(), response.body());
                if (!applied.isEmpty()) {
                    appliers++;
                    assertEquals("applied", reply.get("outcome").asText());
                } else {
                    assertEquals("up-to-date", reply.get("outcome").asText());
                }
                reply.get("appliedByConcurrentRun").forEach(t -> assertTrue(already.contains(t.asText()), response.body()));
                appliedEverywhere.addAll(applied);
            }
            pool.shutdown();
            assertEquals(15, appliedEverywhere.size(), appliedEverywhere.toString());
            assertEquals(allTags, new HashSet<>(appliedEverywhere));
            assertTrue(appliers >= 1);
            try (Connection c = database.database().connect()) {
                assertEquals(14, Catalog.count(c, "select count(*) from applied_log"));
                assertEquals(14, Catalog.count(c, "select count(distinct tag) from applied_log"));
                assertEquals(15, Catalog.trackingRows(c).size());
            }
        }
    }
}
