package dev.mellon.migrator.api;

import dev.mellon.migrator.config.MigratorConfig;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.history.StatusReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * With {@code migrator.health.require-up-to-date=true}, readiness is DOWN until every journal entry is applied, so a
 * deployment can gate on this service's readiness (or an application's init container on
 * {@code GET /migrations/wait}). Off by default: a migration service must be ready in order to be asked to apply.
 */
@Readiness
@ApplicationScoped
public class MigrationsUpToDateCheck implements HealthCheck {

    @Inject
    MigratorConfig config;

    @Inject
    Migrator migrator;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("migrations up to date");
        if (!config.health().requireUpToDate()) {
            return response.up().withData("required", false).build();
        }
        try {
            StatusReport report = migrator.status();
            long notApplied = report.migrations().stream().filter(s -> s.state() != MigrationState.APPLIED).count();
            response.withData("required", true).withData("notApplied", notApplied);
            String newest = report.migrations().isEmpty() ? null : report.migrations().get(report.migrations().size() - 1).tag();
            if (newest != null) {
                response.withData("newest", newest);
            }
            return (notApplied == 0 ? response.up() : response.down()).build();
        } catch (RuntimeException e) {
            return response.down().withData("required", true).withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
