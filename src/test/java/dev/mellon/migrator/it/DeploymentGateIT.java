package dev.mellon.migrator.it;

import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.ServiceProcess;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deployment settings that gate or stop the packaged service: readiness up to date, and the direct URL. */
class DeploymentGateIT {

    @Test
    void withRequireUpToDateReadinessIsDownUntilEveryEntryIsApplied(@TempDir Path dir) throws Exception {
        Path folder = new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").write();
        try (TestDatabase database = TestDatabase.create("mellon_gate");
             ServiceProcess service = ServiceProcess.launch(Map.of("DATABASE_URL", database.database().postgresUrl(),
                     "MIGRATOR_FOLDER", folder.toAbsolutePath().toString(), "MIGRATOR_HEALTH_REQUIRE_UP_TO_DATE", "true"))) {
            HttpResponse<String> ready = awaitAnswer(service, "/q/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().replaceAll("\\s", "").contains("\"notApplied\":1"), ready.body());
            assertEquals(200, service.post("/migrations/apply", null).statusCode());
            HttpResponse<String> after = service.get("/q/health/ready");
            assertEquals(200, after.statusCode(), after.body());
        }
    }

    @Test
    void anInvalidDirectUrlStopsTheStartWithoutPrintingItsPassword() throws Exception {
        try (TestDatabase database = TestDatabase.create("mellon_direct")) {
            ServiceProcess service = ServiceProcess.launch(Map.of("DATABASE_URL", database.database().postgresUrl(),
                    "MIGRATOR_DIRECT_DATABASE_URL", "mysql://app:hunter2@db/shop"));
            assertNotEquals(0, service.awaitExit(Duration.ofSeconds(60)));
            assertTrue(service.output().contains("Invalid MIGRATOR_DIRECT_DATABASE_URL"), service.output());
            assertFalse(service.output().contains("hunter2"), service.output());
        }
    }

    /** Polls until the service answers at all (readiness may stay DOWN by design). */
    private static HttpResponse<String> awaitAnswer(ServiceProcess service, String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            try {
                return service.get(path);
            } catch (UncheckedIOException e) {
                if (System.nanoTime() > deadline || !service.process().isAlive()) {
                    throw new IllegalStateException("The service never answered:\n" + service.output(), e);
                }
                Thread.sleep(200);
            }
        }
    }
}
