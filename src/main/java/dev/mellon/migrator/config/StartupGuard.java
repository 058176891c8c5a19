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

    void check(@Observes StartupEvent event, Config config) {
        String raw = System.getenv(DatabaseUrl.VARIABLE);
        if (raw != null && !raw.isBlank()) {
            try {
                DatabaseUrl.parse(raw);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Invalid " + DatabaseUrl.VARIABLE + ": " + e.getMessage());
            }
        }
        if (LaunchMode.current() == LaunchMode.TEST) {
            return;
        }
        if (config.getOptionalValue(DatabaseConfigSource.URL, String.class).isEmpty()) {
            throw new IllegalStateException(DatabaseUrl.VARIABLE + " is not set. Set " + DatabaseUrl.VARIABLE
                    + "=postgresql://user:password@host:5432/database (or jdbc:postgresql://...), or set "
                    + DatabaseConfigSource.EMBEDDED_VARIABLE + "=true to run against a throwaway embedded PostgreSQL");
        }
    }
}
