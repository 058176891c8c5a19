package dev.mellon.migrator.config;

import io.quarkus.runtime.LaunchMode;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * Turns {@code DATABASE_URL} into Quarkus's datasource settings, and supplies the embedded PostgreSQL when there is no
 * {@code DATABASE_URL}: always in dev mode, in the packaged service only with {@code MIGRATOR_EMBEDDED=true}. Tests
 * choose their own database, so in test mode this source supplies nothing.
 *
 * <p>It ranks above {@code application.properties} and below environment variables and system properties, so an
 * explicit {@code QUARKUS_DATASOURCE_JDBC_URL} still wins. A malformed {@code DATABASE_URL} supplies nothing here;
 * {@link StartupGuard} then stops the service with the reason.
 */
public final class DatabaseConfigSource implements ConfigSource {

    static final String URL = "quarkus.datasource.jdbc.url";
    static final String USER = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";
    public static final String EMBEDDED_VARIABLE = "MIGRATOR_EMBEDDED";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(URL, USER, PASSWORD);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of();
    }

    @Override
    public int getOrdinal() {
        return 275;
    }

    @Override
    public String getName() {
        return "DATABASE_URL";
    }

    @Override
    public String getValue(String name) {
        if (!getPropertyNames().contains(name) || LaunchMode.current() == LaunchMode.TEST) {
            return null;
        }
        String raw = RunMode.databaseUrl();
        if (raw != null && !raw.isBlank()) {
            try {
                DatabaseUrl url = DatabaseUrl.parse(raw);
                return switch (name) {
                    case URL -> url.jdbcUrl();
                    case USER -> url.user();
                    default -> url.password();
                };
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (embeddedWanted()) {
            return switch (name) {
                case URL -> EmbeddedDatabase.jdbcUrl();
                case USER -> "postgres";
                default -> null;
            };
        }
        return null;
    }

    public static boolean embeddedWanted() {
        String flag = System.getenv(EMBEDDED_VARIABLE);
        if (flag == null) {
            flag = System.getProperty("migrator.embedded");
        }
        if (flag != null) {
            return Boolean.parseBoolean(flag.strip());
        }
        return LaunchMode.current() == LaunchMode.DEVELOPMENT;
    }
}
