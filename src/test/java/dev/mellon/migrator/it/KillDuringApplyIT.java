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
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kill -9} of the service in the middle of a long migration. */
class KillDuringApplyIT {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void killedServiceReleasesTheLockLeavesNothingHalfAppliedAndTheNextApplySucceeds(@TempDir Path dir) throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("first", "CREATE TABLE first_table (id int);")
                // Sleeps only while the database setting says so, so the retry after the kill runs fast.
                .migration("long", "CREATE TABLE long_table (id int);",
                        "SELECT pg_sleep(coalesce(nullif(current_setting('mellon.test_sleep', true), ''), '0')::float);")
                .write();
        try (TestDatabase database = TestDatabase.create("mellon_kill")) {
            TestDatabase.Database db = database.database();
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("ALTER DATABASE \"" + db.name() + "\" SET mellon.test_sleep = '120'");
            }
            ServiceProcess victim = ServiceProcess.start(db, folder);
            CompletableFuture<HttpResponse<String>> doomed = CompletableFuture.supplyAsync(() -> victim.post("/migrations/apply", null));
            try (Connection c = db.connect()) {
                long deadline = System.currentTimeMillis() + 30_000;
                while (Catalog.count(c, "select count(*) from pg_stat_activity where query like '%pg_sleep%' and pid <> pg_backend_pid()") == 0) {
                    assertTrue(System.currentTimeMillis() < deadline, "the long migration never started");
                    Thread.sleep(50);
                }
                victim.kill();
                assertTrue(doomed.handle((r, e) -> e != null).get(), "the killed service must not answer");

                // The server notices the dead client (client_connection_check_interval) and rolls back.
                deadline = System.currentTimeMillis() + 30_000;
                while (Catalog.count(c, "select count(*) from pg_locks where locktype = 'advisory' and objsubid = 2") > 0) {
                    assertTrue(System.currentTimeMillis() < deadline, "the advisory lock was not released");
                    Thread.sleep(100);
                }
                assertFalse(Catalog.exists(c, "public.first_table"), "mode all: nothing of the batch may remain");
                assertEquals(0, Catalog.trackingRows(c).size());
                try (Statement st = c.createStatement()) {
                    st.execute("ALTER DATABASE \"" + db.name() + "\" RESET mellon.test_sleep");
                }
            }
            try (ServiceProcess next = ServiceProcess.start(db, folder)) {
                HttpResponse<String> apply = next.post("/migrations/apply", "{\"wait\": \"PT30S\"}");
                assertEquals(200, apply.statusCode(), apply.body());
                JsonNode reply = json.readTree(apply.body());
                assertEquals(2, reply.get("applied").size(), apply.body());
            }
            try (Connection c = db.connect()) {
                assertTrue(Catalog.exists(c, "public.long_table"));
                assertEquals(2, Catalog.trackingRows(c).size());
            }
        }
    }
}
