package dev.mellon.migrator.engine;

import org.postgresql.Driver;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

/** Opens the unpooled sessions that applies and shadow databases run on. */
public final class PostgresSessions {

    private static final Driver DRIVER = new Driver();
    private static final String JDBC_PREFIX = "jdbc:postgresql://";

    private PostgresSessions() {
    }

    /**
     * Sessions in the simple query protocol, so that every chunk reaches PostgreSQL exactly as drizzle's
     * node-postgres sends it: one text query, several statements allowed, no server-side prepare.
     */
    public static ConnectionSource simpleProtocol(String jdbcUrl, String user, String password) {
        return () -> connect(jdbcUrl, user, password, "mellon-migrator");
    }

    /** One simple-protocol session; the URL is never echoed, since a {@code jdbc:} URL may carry {@code password=}. */
    static Connection connect(String jdbcUrl, String user, String password, String applicationName) throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("preferQueryMode", "simple");
        properties.setProperty("ApplicationName", applicationName);
        Connection connection = DRIVER.connect(jdbcUrl, properties);
        if (connection == null) {
            throw new SQLException("The datasource URL is not a jdbc:postgresql: URL", "08001");
        }
        return connection;
    }

    /** The same server's URL with another database name, query parameters kept. */
    public static String withDatabase(String jdbcUrl, String database) {
        if (!jdbcUrl.toLowerCase(Locale.ROOT).startsWith(JDBC_PREFIX)) {
            throw new IllegalArgumentException("Not a jdbc:postgresql://host/database URL");
        }
        String rest = jdbcUrl.substring(JDBC_PREFIX.length());
        int slash = rest.indexOf('/');
        int q = rest.indexOf('?');
        String hostPart = slash < 0 ? (q < 0 ? rest : rest.substring(0, q)) : rest.substring(0, slash);
        String query = q < 0 ? "" : rest.substring(q);
        return JDBC_PREFIX + hostPart + "/" + database + query;
    }
}
