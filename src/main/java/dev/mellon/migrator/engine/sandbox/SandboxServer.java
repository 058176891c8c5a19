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

    public SandboxServer {
        driverProperties = Map.copyOf(driverProperties);
        if (!jdbcUrl.toLowerCase(Locale.ROOT).startsWith(JDBC_PREFIX)) {
            throw new IllegalArgumentException("The sandbox server URL must be a jdbc:postgresql://host/database URL");
        }
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
