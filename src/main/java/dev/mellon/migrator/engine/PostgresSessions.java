package dev.mellon.migrator.engine;

import org.postgresql.Driver;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/** Opens the unpooled sessions that applies run on. */
public final class PostgresSessions {

    private PostgresSessions() {
    }

    /**
     * Sessions in the simple query protocol, so that every chunk reaches PostgreSQL exactly as drizzle's
     * node-postgres sends it: one text query, several statements allowed, no server-side prepare.
     */
    public static ConnectionSource simpleProtocol(String jdbcUrl, String user, String password) {
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
                // The URL is not echoed: a jdbc: URL may carry password=... in its query.
                throw new SQLException("The datasource URL is not a jdbc:postgresql: URL", "08001");
            }
            return connection;
        };
    }
}
