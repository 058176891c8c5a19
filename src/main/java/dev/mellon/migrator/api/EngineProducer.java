package dev.mellon.migrator.api;

import dev.mellon.migrator.config.MigratorConfig;
import dev.mellon.migrator.engine.ConnectionSource;
import dev.mellon.migrator.engine.Migrator;
import dev.mellon.migrator.engine.TrackingTable;
import dev.mellon.migrator.folder.FolderReader;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.Driver;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/** Builds the engine from configuration: the only place where the framework meets the library. */
@ApplicationScoped
public class EngineProducer {

    @Produces
    @ApplicationScoped
    Migrator migrator(MigratorConfig config, AgroalDataSource pool,
                      @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl,
                      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        TrackingTable tracking = new TrackingTable(config.tracking().schema(), config.tracking().table(),
                config.tracking().auditTable());
        // Optional, so that a missing URL reaches StartupGuard's clear message instead of a config injection error.
        String url = jdbcUrl.orElseThrow(() -> new IllegalStateException("No database configured: set DATABASE_URL"));
        return new Migrator(Path.of(config.folder()), new FolderReader(), pool,
                sessions(url, user.orElse(null), password.orElse(null)), tracking);
    }

    /**
     * Unpooled sessions for applies, in the simple query protocol so that every chunk reaches PostgreSQL exactly as
     * drizzle's node-postgres sends it: one text query, several statements allowed.
     */
    static ConnectionSource sessions(String jdbcUrl, String user, String password) {
        Driver driver = new Driver();
        return () -> {
            Properties properties = new Properties();
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            properties.setProperty("preferQueryMode", "simple");
            properties.setProperty("ApplicationName", "mellon-migrator");
            Connection connection = driver.connect(jdbcUrl, properties);
            if (connection == null) {
                throw new SQLException("Not a PostgreSQL JDBC URL: " + jdbcUrl, "08001");
            }
            return connection;
        };
    }
}
