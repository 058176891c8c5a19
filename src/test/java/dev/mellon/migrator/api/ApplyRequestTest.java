package dev.mellon.migrator.api;

import dev.mellon.migrator.web.InvalidRequestException;
import dev.mellon.migrator.web.ApplyRequest;
import dev.mellon.migrator.engine.core.TransactionMode;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request-side bounds of waiting, and the driver properties the engine's sessions share with the pool. */
class ApplyRequestTest {

    private static final Duration DEFAULT = Duration.ofSeconds(60);
    private static final Duration CAP = Duration.ofMinutes(10);

    private static ApplyRequest waiting(String wait) {
        ApplyRequest request = new ApplyRequest();
        request.wait = wait;
        return request;
    }

    @Test
    void aWaitUpToTheCapIsTakenAndNoneMeansTheDefault() {
        assertEquals(CAP, waiting("PT10M").toOptions(DEFAULT, CAP, TransactionMode.ALL).lockWait());
        assertEquals(DEFAULT, waiting(null).toOptions(DEFAULT, CAP, TransactionMode.ALL).lockWait());
    }

    @Test
    void aWaitAboveTheCapIsRefusedNamingTheFieldAndTheCap() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> waiting("PT10M1S").toOptions(DEFAULT, CAP, TransactionMode.ALL));
        assertEquals("wait", e.field());
        assertTrue(e.getMessage().contains("PT10M") && e.getMessage().contains("migrator.lock-wait-max"), e.getMessage());
    }

    @Test
    void aNegativeOrMalformedWaitIsStillRefused() {
        assertEquals("wait", assertThrows(InvalidRequestException.class,
                () -> waiting("-PT1S").toOptions(DEFAULT, CAP, TransactionMode.ALL)).field());
        assertEquals("wait", assertThrows(InvalidRequestException.class,
                () -> waiting("soon").toOptions(DEFAULT, CAP, TransactionMode.ALL)).field());
    }

    @Test
    void theDatasourcesExtraJdbcPropertiesAreReadForTheEngineSessions() {
        Config config = new SmallRyeConfigBuilder().withDefaultValues(Map.of(
                "quarkus.datasource.jdbc.additional-jdbc-properties.sslmode", "verify-full",
                "quarkus.datasource.jdbc.additional-jdbc-properties.\"sslrootcert\"", "/etc/ca.pem",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://db/app")).build();
        assertEquals(Map.of("sslmode", "verify-full", "sslrootcert", "/etc/ca.pem"),
                EngineProducer.datasourceDriverProperties(config));
    }
}
