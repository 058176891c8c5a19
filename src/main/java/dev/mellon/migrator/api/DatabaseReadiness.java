package dev.mellon.migrator.api;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Readiness needs the database. The answer is public (a load balancer asks it), so it says whether the database
 * answered, never where it is or what the driver said: that goes to the log, once each time the reason changes.
 * (Agroal's own check, which quotes the driver, is switched off: quarkus.datasource.health.enabled=false.)
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(DatabaseReadiness.class);

    @Inject
    AgroalDataSource pool;

    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    @Override
    public HealthCheckResponse call() {
        try (Connection connection = pool.getConnection()) {
            if (connection.isValid(5)) {
                if (lastFailure.getAndSet(null) != null) {
                    LOG.info("The database answers again");
                }
                return HealthCheckResponse.named("database").up().build();
            }
            return down("the connection did not validate within 5 s");
        } catch (SQLException | RuntimeException e) {
            return down(e.getMessage() + (e instanceof SQLException s ? " [SQLSTATE " + s.getSQLState() + "]" : ""));
        }
    }

    private HealthCheckResponse down(String reason) {
        if (!reason.equals(lastFailure.getAndSet(reason))) {
            LOG.warnf("Not ready: the database does not answer: %s", reason);
        }
        return HealthCheckResponse.named("database").down()
                .withData("reason", "the database does not answer; the server log has the details").build();
    }
}
