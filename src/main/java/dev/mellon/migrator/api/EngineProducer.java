package dev.mellon.migrator.api;

import dev.mellon.migrator.config.MigratorConfig;
import dev.mellon.migrator.engine.Migrator;
import dev.mellon.migrator.engine.PostgresSessions;
import dev.mellon.migrator.engine.SchemaInspector;
import dev.mellon.migrator.engine.TrackingTable;
import dev.mellon.migrator.folder.FolderReader;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.util.Optional;

/** Builds the engine from configuration: the only place where the framework meets the library. */
@ApplicationScoped
public class EngineProducer {

    @Produces
    @ApplicationScoped
    Migrator migrator(MigratorConfig config, AgroalDataSource pool,
                      @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl,
                      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        TrackingTable tracking = tracking(config);
        // Optional, so that a missing URL reaches StartupGuard's clear message instead of a config injection error.
        String url = jdbcUrl.orElseThrow(() -> new IllegalStateException("No database configured: set DATABASE_URL"));
        return new Migrator(Path.of(config.folder()), new FolderReader(), pool,
                PostgresSessions.simpleProtocol(url, user.orElse(null), password.orElse(null)), tracking);
    }

    @Produces
    @ApplicationScoped
    SchemaInspector schemaInspector(MigratorConfig config, AgroalDataSource pool) {
        return new SchemaInspector(Path.of(config.folder()), new FolderReader(), pool, tracking(config));
    }

    private static TrackingTable tracking(MigratorConfig config) {
        return new TrackingTable(config.tracking().schema(), config.tracking().table(), config.tracking().auditTable());
    }
}
