package dev.mellon.migrator.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged service (prod profile) and its database settings. */
class StartupIT {

    @Test
    void refusesToStartWithoutDatabaseUrl() throws Exception {
        ServiceProcess service = ServiceProcess.launch(Map.of());
        assertNotEquals(0, service.awaitExit(Duration.ofSeconds(60)));
        assertTrue(service.output().contains("DATABASE_URL is not set"), service.output());
        assertTrue(service.output().contains("MIGRATOR_EMBEDDED=true"), service.output());
    }

    @Test
    void refusesAMalformedDatabaseUrlWithoutPrintingThePassword() throws Exception {
        ServiceProcess service = ServiceProcess.launch(Map.of("DATABASE_URL", "mysql://app:hunter2@db/shop"));
        assertNotEquals(0, service.awaitExit(Duration.ofSeconds(60)));
        assertTrue(service.output().contains("Invalid DATABASE_URL"), service.output());
        assertFalse(service.output().contains("hunter2"), service.output());
    }

    @Test
    void embeddedDatabaseOnlyWhenAskedFor() throws Exception {
        ServiceProcess service = ServiceProcess.launch(Map.of("MIGRATOR_EMBEDDED", "true",
                "MIGRATOR_FOLDER", Path.of("drizzle").toAbsolutePath().toString()));
        try {
            long deadline = System.currentTimeMillis() + 90_000;
            HttpResponse<String> ready = null;
            while (System.currentTimeMillis() < deadline) {
                assertTrue(service.process().isAlive(), service.output());
                try {
                    ready = service.get("/q/health/ready");
                    if (ready.statusCode() == 200) {
                        break;
                    }
                } catch (Exception notYet) {
                    Thread.sleep(200);
                }
            }
            assertEquals(200, ready.statusCode());
            HttpResponse<String> apply = service.post("/migrations/apply", null);
            assertEquals(200, apply.statusCode(), apply.body());
            assertEquals(2, new ObjectMapper().readTree(apply.body()).get("applied").size());
        } finally {
            service.close();
        }
    }
}
