package dev.mellon.migrator.engine.lock;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the engine's own sessions (applies, version gate) connect: the datasource's extra driver properties (SSL
 * settings and the like) and the timeouts that keep a dead peer from holding the migration lock.
 *
 * @param driverProperties         pgjdbc properties, as {@code quarkus.datasource.jdbc.additional-jdbc-properties.*}
 * @param connectTimeout           how long opening a session may take
 * @param socketTimeout            how long the client waits for any reply before giving the session up; zero for no
 *                                 limit, since a migration statement (an index build) may rightly run for hours
 * @param idleInTransactionTimeout how long the server lets the session sit idle inside a transaction before ending it
 *                                 (and so rolling back and freeing the lock); zero leaves the server's setting
 */
public record SessionSettings(Map<String, String> driverProperties, Duration connectTimeout, Duration socketTimeout,
                              Duration idleInTransactionTimeout) {

    public SessionSettings {
        driverProperties = Map.copyOf(driverProperties);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        Objects.requireNonNull(idleInTransactionTimeout, "idleInTransactionTimeout");
        if (connectTimeout.isNegative() || socketTimeout.isNegative() || idleInTransactionTimeout.isNegative()) {
            throw new IllegalArgumentException("Session timeouts must not be negative");
        }
    }

    public static SessionSettings defaults() {
        return new SessionSettings(Map.of(), Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(60));
    }

    public SessionSettings withDriverProperties(Map<String, String> properties) {
        return new SessionSettings(properties, connectTimeout, socketTimeout, idleInTransactionTimeout);
    }
}
