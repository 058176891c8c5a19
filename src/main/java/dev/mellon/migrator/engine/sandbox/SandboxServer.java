package dev.mellon.migrator.engine.sandbox;

import org.postgresql.Driver;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The server sandboxes are made on, and the service's own login to it, which creates, clones and drops their
 * databases and does nothing else there.
 *
 * @param jdbcUrl          any database of the server ({@code jdbc:postgresql://host:port/db?…})
 * @param driverProperties pgjdbc properties every session to this server needs (SSL settings and the like)
 */
public record SandboxServer(String jdbcUrl, String user, String password, Map<String, String> driverProperties,
                            Duration connectTimeout) {

    private static final Driver DRIVER = new Driver();
    private static final String JDBC_PREFIX = "jdbc:postgresql://";
    static final String APPLICATION_NAME = "mellon-migrator sandbox";
    /**
     * URL parameters pgjdbc prefers to the properties a session is opened with: a {@code user=} in the service's URL
     * would otherwise log every sandbox session in as the service, and an {@code options=} would replace its limits.
     * They are taken out of the URL and kept as the service's own.
     */
    private static final java.util.Set<String> IDENTITY = java.util.Set.of("user", "password", "options");

    public SandboxServer {
        if (!jdbcUrl.toLowerCase(Locale.ROOT).startsWith(JDBC_PREFIX)) {
            throw new IllegalArgumentException("The sandbox server URL must be a jdbc:postgresql://host/database URL");
        }
        Map<String, String> fromUrl = new java.util.HashMap<>();
        int q = jdbcUrl.indexOf('?');
        if (q >= 0) {
            StringBuilder kept = new StringBuilder();
            for (String pair : jdbcUrl.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
                if (IDENTITY.contains(key.toLowerCase(Locale.ROOT))) {
                    fromUrl.put(key.toLowerCase(Locale.ROOT), eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                            java.nio.charset.StandardCharsets.UTF_8));
                } else if (!pair.isEmpty()) {
                    kept.append(kept.length() == 0 ? "?" : "&").append(pair);
                }
            }
            jdbcUrl = jdbcUrl.substring(0, q) + kept;
        }
        if (user == null) {
            user = fromUrl.get("user");
        }
        if (password == null) {
            password = fromUrl.get("password");
        }
        Map<String, String> properties = new java.util.HashMap<>(driverProperties);
        properties.remove("user");
        properties.remove("password");
        if (fromUrl.containsKey("options") && !properties.containsKey("options")) {
            properties.put("options", fromUrl.get("options"));
        }
        driverProperties = Map.copyOf(properties);
    }

    /** The service's login on the database of the URL (for creating and dropping sandbox databases). */
    Connection admin() throws SQLException {
        return connect(null, user, password, Map.of());
    }

    /** The service's login on one sandbox database (for the privileged steps there: extensions). */
    Connection admin(String database) throws SQLException {
        return connect(database, user, password, Map.of());
    }

    /**
     * A session on {@code database} (the URL's own when null) as {@code login}, with {@code settings} (pgjdbc
     * properties) on top of the server's own; the URL is never echoed, since it may carry a password.
     */
    Connection connect(String database, String login, String secret, Map<String, String> settings) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(driverProperties);
        if (login != null) {
            properties.setProperty("user", login);
        }
        properties.remove("password");
        if (secret != null) {
            properties.setProperty("password", secret);
        }
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, (connectTimeout.toMillis() + 999) / 1000)));
        properties.putAll(settings);
        Connection connection = DRIVER.connect(database == null ? jdbcUrl : withDatabase(database), properties);
        if (connection == null) {
            throw new SQLException("The sandbox server URL is not a jdbc:postgresql: URL", "08001");
        }
        return connection;
    }

    /** host:port, for log lines (never the credentials). */
    public String describe() {
        String rest = jdbcUrl.substring(JDBC_PREFIX.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private String withDatabase(String database) {
        String rest = jdbcUrl.substring(JDBC_PREFIX.length());
        int slash = rest.indexOf('/');
        int q = rest.indexOf('?');
        String host = slash < 0 ? (q < 0 ? rest : rest.substring(0, q)) : rest.substring(0, slash);
        return JDBC_PREFIX + host + "/" + database + (q < 0 ? "" : rest.substring(q));
    }
}
