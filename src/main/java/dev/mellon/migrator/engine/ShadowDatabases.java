package dev.mellon.migrator.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Throwaway databases in which PostgreSQL itself parses and prints schemas (Atlas's dev database, Prisma's shadow
 * database). Each one is created with a unique name on a server (by default the target's), used by one request and
 * dropped when it closes, failure or not. Databases left behind by a killed process are swept at start-up.
 */
public final class ShadowDatabases {

    /** Every shadow database's name starts so; the creation second follows, so a sweep can spare young ones. */
    public static final String PREFIX = "mellon_shadow_";
    private static final Logger LOG = Logger.getLogger(ShadowDatabases.class.getName());

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final SessionSettings settings;

    /** @param jdbcUrl any database on the server where shadow databases are made */
    public ShadowDatabases(String jdbcUrl, String user, String password) {
        this(jdbcUrl, user, password, java.util.Map.of());
    }

    /** @param driverProperties extra pgjdbc properties (SSL settings and the like) for every session opened here */
    public ShadowDatabases(String jdbcUrl, String user, String password, java.util.Map<String, String> driverProperties) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        // No idle-in-transaction limit: a shadow session holds no lock, and its transaction is rolled back by design.
        this.settings = new SessionSettings(driverProperties, SessionSettings.defaults().connectTimeout(),
                java.time.Duration.ZERO, java.time.Duration.ZERO);
    }

    /** One shadow database, open on a session of its own; closing it drops the database. */
    public final class Shadow implements AutoCloseable {
        private final String name;
        private final Connection connection;

        private Shadow(String name, Connection connection) {
            this.name = name;
            this.connection = connection;
        }

        public String name() {
            return name;
        }

        public Connection connection() {
            return connection;
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Dropped with FORCE below anyway.
            }
            drop(name);
        }
    }

    /** Creates a fresh database; a {@link ShadowUnavailableException} says why none can be had. */
    public Shadow open() {
        String name = PREFIX + (System.currentTimeMillis() / 1000) + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String url = shadowUrl(name); // before anything is created: a bad URL must not leave a database behind
        try (Connection admin = connect(jdbcUrl); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
        } catch (SQLException e) {
            throw new ShadowUnavailableException("No shadow database could be created (" + e.getMessage()
                    + "); grant the role CREATEDB or set migrator.shadow-url", e);
        }
        Connection connection = null;
        try {
            connection = connect(url);
            connection.setAutoCommit(true);
            return new Shadow(name, connection);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            drop(name);
            throw new ShadowUnavailableException("The shadow database " + name + " was created but cannot be opened: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Its database is dropped with FORCE next.
            }
        }
    }

    /** Drops the database, ending any session on it (PostgreSQL 13+; older servers once the session has closed). */
    private void drop(String name) {
        try (Connection admin = connect(jdbcUrl); Statement st = admin.createStatement()) {
            try {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                if (!"42601".equals(e.getSQLState())) {
                    throw e;
                }
                st.execute("DROP DATABASE IF EXISTS " + name);
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "Could not drop shadow database " + name + "; the next start-up sweeps it: " + e.getMessage());
        }
    }

    /**
     * Drops the shadow databases older than {@code minAgeSeconds}: those a killed process left. A younger one may be
     * another replica's, in use right now, and one that has a session is skipped too (no FORCE).
     */
    public List<String> sweep(long minAgeSeconds) {
        List<String> dropped = new ArrayList<>();
        long now = System.currentTimeMillis() / 1000;
        try (Connection admin = connect(jdbcUrl); Statement st = admin.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("select datname from pg_database where datname like 'mellon\\_shadow\\_%'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                String[] parts = name.substring(PREFIX.length()).split("_");
                long created;
                try {
                    created = Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (now - created < minAgeSeconds || !name.matches("[a-z0-9_]+")) {
                    continue;
                }
                try {
                    st.execute("DROP DATABASE IF EXISTS " + name);
                    dropped.add(name);
                } catch (SQLException e) {
                    LOG.fine("Shadow database " + name + " is in use; left alone: " + e.getMessage());
                }
            }
        } catch (SQLException e) {
            LOG.log(Level.FINE, "Shadow database sweep skipped: " + e.getMessage());
        }
        return dropped;
    }

    private Connection connect(String url) throws SQLException {
        return PostgresSessions.connect(url, user, password, "mellon-migrator shadow", settings);
    }

    private String shadowUrl(String name) {
        try {
            return PostgresSessions.withDatabase(jdbcUrl, name);
        } catch (IllegalArgumentException e) {
            throw new ShadowUnavailableException("The shadow server URL must be a jdbc:postgresql://host/db URL", e);
        }
    }
}
