package dev.mellon.migrator.engine.lock;

import org.postgresql.Driver;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/** Opens the unpooled sessions that applies run on. */
public final class PostgresSessions {

    private static final Driver DRIVER = new Driver();
    private static final String JDBC_PREFIX = "jdbc:postgresql://";
    private static final String APPLICATION_NAME = "mellon-migrator";

    private PostgresSessions() {
    }

    /**
     * Sessions in the simple query protocol, so that every chunk reaches PostgreSQL exactly as drizzle's
     * node-postgres sends it: one text query, several statements allowed, no server-side prepare.
     */
    public static ConnectionSource simpleProtocol(String jdbcUrl, String user, String password) {
        return simpleProtocol(jdbcUrl, user, password, SessionSettings.defaults());
    }

    public static ConnectionSource simpleProtocol(String jdbcUrl, String user, String password, SessionSettings settings) {
        return () -> connect(jdbcUrl, user, password, APPLICATION_NAME, settings);
    }

    /**
     * One simple-protocol session; the URL is never echoed, since a {@code jdbc:} URL may carry {@code password=}.
     * The datasource's extra properties come first; the credentials, the protocol, the application name (which the
     * lock inspection reads) and the timeouts configured for these sessions take precedence over them.
     */
    static Connection connect(String jdbcUrl, String user, String password, String applicationName,
                              SessionSettings settings) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(settings.driverProperties());
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("preferQueryMode", "simple");
        properties.setProperty("ApplicationName", applicationName);
        // Lets the client's OS notice a server that vanished without closing the socket.
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", Long.toString(seconds(settings.connectTimeout())));
        properties.setProperty("socketTimeout", Long.toString(seconds(settings.socketTimeout())));
        Connection connection = DRIVER.connect(jdbcUrl, properties);
        if (connection == null) {
            throw new SQLException("The datasource URL is not a jdbc:postgresql: URL", "08001");
        }
        try {
            configure(connection, settings);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** The session settings that are {@code SET} after connecting (and again after a {@code DISCARD ALL}). */
    private static void configure(Connection connection, SessionSettings settings) throws SQLException {
        try (Statement st = connection.createStatement()) {
            // The server's side of a dead client: its keepalives find a vanished host (no FIN ever comes) within about
            // a minute instead of the OS default of two hours, and a session left idle inside a transaction is ended.
            // Either way the session's advisory lock is released and its transaction rolled back.
            st.execute("set tcp_keepalives_idle = 30; set tcp_keepalives_interval = 10; set tcp_keepalives_count = 3");
            if (!settings.idleInTransactionTimeout().isZero()) {
                st.execute("set idle_in_transaction_session_timeout = " + settings.idleInTransactionTimeout().toMillis());
            }
        }
    }

    /**
     * Like {@link #simpleProtocol(String, String, String, SessionSettings)}, but the session of a run that ended cleanly
     * is kept for the next run for up to {@code maxIdle}: a new session costs a server process and its start-up
     * (about 20 ms on a small machine), which would be most of a no-op apply. A kept session is reset with
     * {@code DISCARD ALL} as soon as its run ends, so that nothing a migration set on it ({@code SET ROLE},
     * {@code search_path}, temporary tables, advisory locks of its own, {@code LISTEN}) is held while it waits or reaches
     * the next run; a session that fails the reset is closed, and one that fails on reuse is replaced by a new one.
     */
    public static ConnectionSource keptBetweenRuns(String jdbcUrl, String user, String password, SessionSettings settings,
                                                  Duration maxIdle) {
        return new KeptSession(() -> connect(jdbcUrl, user, password, APPLICATION_NAME, settings), settings, maxIdle);
    }

    private static final class KeptSession implements ConnectionSource {
        private static final java.util.concurrent.ScheduledExecutorService CLOSER =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread thread = new Thread(r, "idle-apply-session-closer");
                    thread.setDaemon(true);
                    return thread;
                });

        private final ConnectionSource fresh;
        private final SessionSettings settings;
        private final Duration maxIdle;
        private final java.util.concurrent.atomic.AtomicReference<Connection> idle = new java.util.concurrent.atomic.AtomicReference<>();

        KeptSession(ConnectionSource fresh, SessionSettings settings, Duration maxIdle) {
            this.fresh = fresh;
            this.settings = settings;
            this.maxIdle = maxIdle;
        }

        @Override
        public Connection open() throws SQLException {
            Connection kept = idle.getAndSet(null);
            if (kept != null) {
                try {
                    // Bounded by the connect timeout: a host that vanished while the session waited (no FIN, no
                    // socket timeout by default) must not hang the run that would otherwise just open a new one.
                    if (kept.isValid((int) Math.max(1, seconds(settings.connectTimeout())))) {
                        configure(kept, settings);
                        return kept;
                    }
                    closeQuietly(kept);
                } catch (SQLException e) {
                    // Killed by an administrator, dropped by a firewall, or a server restart: start over.
                    closeQuietly(kept);
                }
            }
            return fresh.open();
        }

        @Override
        public void finished(Connection session) {
            if (maxIdle.isZero() || !discard(session)) {
                closeQuietly(session);
                return;
            }
            closeQuietly(idle.getAndSet(session));
            CLOSER.schedule(() -> {
                if (idle.compareAndSet(session, null)) {
                    closeQuietly(session);
                }
            }, maxIdle.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /** Resets the session at once, so that while it waits it holds no lock, role or temporary table of the run. */
        private static boolean discard(Connection session) {
            try (Statement st = session.createStatement()) {
                if (!session.getAutoCommit()) {
                    return false;
                }
                st.execute("DISCARD ALL");
                // The reset takes the name back to the server's default; the lock inspection looks for ours.
                st.execute("SET application_name = '" + APPLICATION_NAME + "'");
                return true;
            } catch (SQLException e) {
                return false;
            }
        }

        private static void closeQuietly(Connection session) {
            if (session != null) {
                try {
                    session.close();
                } catch (SQLException e) {
                    // already gone
                }
            }
        }
    }

    /** pgjdbc takes whole seconds; a positive duration below one second must not turn into "no limit". */
    private static long seconds(Duration duration) {
        if (duration.isZero()) {
            return 0;
        }
        return Math.max(1, (duration.toMillis() + 999) / 1000);
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
