package dev.mellon.migrator.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * Stops the service at start-up when it has no real database to talk to. A deployment that forgot its
 * {@code DATABASE_URL} must fail loudly, never report success against a throwaway database.
 */
@Singleton
public class StartupGuard {

    /** The message for a missing database URL, shared with the command line. */
    public static String missingUrlMessage() {
        return DatabaseUrl.VARIABLE + " is not set. Set " + DatabaseUrl.VARIABLE
                + "=postgresql://user:password@host:5432/database (or jdbc:postgresql://...), or set "
                + DatabaseConfigSource.EMBEDDED_VARIABLE + "=true to run against a throwaway embedded PostgreSQL";
    }

    void check(@Observes StartupEvent event, Config config) {
        String raw = RunMode.databaseUrl();
        if (raw != null && !raw.isBlank()) {
            try {
                DatabaseUrl.parse(raw);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Invalid " + DatabaseUrl.VARIABLE + ": " + e.getMessage());
            }
        }
        config.getOptionalValue("migrator.direct-database-url", String.class).ifPresent(direct -> {
            try {
                DatabaseUrl.parse(direct);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Invalid MIGRATOR_DIRECT_DATABASE_URL: "
                        + e.getMessage().replace(DatabaseUrl.VARIABLE, "MIGRATOR_DIRECT_DATABASE_URL"));
            }
        });
        // A command-line command checks for the URL itself: check needs no database, and the others say so with exit 2.
        if (LaunchMode.current() == LaunchMode.TEST || RunMode.cli()) {
            return;
        }
        if (config.getOptionalValue(DatabaseConfigSource.URL, String.class).isEmpty()) {
            throw new IllegalStateException(missingUrlMessage());
        }
    }
}
