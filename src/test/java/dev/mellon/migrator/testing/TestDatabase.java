package dev.mellon.migrator.testing;

import dev.mellon.migrator.config.DatabaseUrl;
import dev.mellon.migrator.engine.lock.PostgresSessions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * The PostgreSQL server the tests use, chosen once per JVM: {@code TEST_DATABASE_URL} if set, else a Testcontainers
 * {@code postgres:17} when Docker answers, else an embedded PostgreSQL. Every test makes its own database on it with
 * {@link #create(String)} and drops it when done.
 */
public final class TestDatabase implements AutoCloseable {

    private static Server server;

    /** One database on the shared server. */
    public record Database(String name, String jdbcUrl, String user, String password) {

        public Connection connect() throws SQLException {
            Properties properties = new Properties();
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            return DriverManager.getConnection(jdbcUrl, properties);
        }

        /** The libpq form, as drizzle users and node-postgres write it. */
        public String postgresUrl() {
            String rest = jdbcUrl.substring("jdbc:postgresql://".length());
            int q = rest.indexOf('?');
            if (q >= 0) {
                rest = rest.substring(0, q);
            }
            String credentials = user == null ? "" : user + (password == null ? "" : ":" + password) + "@";
            return "postgresql://" + credentials + rest;
        }
    }

    private record Server(String description, String adminJdbcUrl, String user, String password, AutoCloseable owner) {
    }

    private final Database database;

    private TestDatabase(Database database) {
        this.database = database;
    }

    /** Creates a database with a unique name starting with {@code prefix}. */
    public static TestDatabase create(String prefix) {
        Server s = server();
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase(Locale.ROOT);
        try (Connection admin = connect(s.adminJdbcUrl, s.user, s.password); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name + " on " + s.description + ": " + e.getMessage(), e);
        }
        return new TestDatabase(new Database(name, PostgresSessions.withDatabase(s.adminJdbcUrl, name), s.user, s.password));
    }

    /** Runs a statement on the server's maintenance database (for cluster-wide objects such as roles). */
    public static void onServer(String sql) {
        Server s = server();
        try (Connection admin = connect(s.adminJdbcUrl, s.user, s.password); Statement st = admin.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run \"" + sql + "\" on " + s.description + ": " + e.getMessage(), e);
        }
    }

    /** The names of the server's databases that match a LIKE pattern. */
    public static List<String> namesOnServer(String like) {
        Server s = server();
        List<String> names = new java.util.ArrayList<>();
        try (Connection admin = connect(s.adminJdbcUrl, s.user, s.password);
             java.sql.PreparedStatement st = admin.prepareStatement("select datname from pg_database where datname like ?")) {
            st.setString(1, like);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not list databases on " + s.description + ": " + e.getMessage(), e);
        }
        return names;
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        Server s = server();
        try (Connection admin = connect(s.adminJdbcUrl, s.user, s.password); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS \"" + database.name() + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop test database " + database.name() + ": " + e.getMessage(), e);
        }
    }

    public static synchronized String serverDescription() {
        return server().description;
    }

    private static synchronized Server server() {
        if (server == null) {
            server = start();
            System.out.println("[test-database] using " + server.description + " (PostgreSQL " + version(server) + ")");
        }
        return server;
    }

    private static Server start() {
        String url = System.getenv("TEST_DATABASE_URL");
        if (url == null || url.isBlank()) {
            url = System.getProperty("test.database.url");
        }
        if (url != null && !url.isBlank()) {
            DatabaseUrl parsed = DatabaseUrl.parse(url);
            return new Server("TEST_DATABASE_URL (" + parsed.jdbcUrl() + ")", parsed.jdbcUrl(), parsed.user(), parsed.password(), null);
        }
        if (dockerAvailable()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:17");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new Server("Testcontainers postgres:17", container.getJdbcUrl(), container.getUsername(),
                    container.getPassword(), container);
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (Exception ignored) {
                    // JVM exit.
                }
            }));
            return new Server("embedded PostgreSQL on port " + embedded.getPort(), embedded.getJdbcUrl("postgres", "postgres"),
                    "postgres", null, embedded);
        } catch (Exception e) {
            throw new IllegalStateException("No test database: TEST_DATABASE_URL is unset, Docker is unavailable and the "
                    + "embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    /** True when the test server offers the extension {@code name} (it need not be installed anywhere). */
    public static synchronized boolean hasExtension(String name) {
        Server s = server();
        try (Connection c = connect(s.adminJdbcUrl, s.user, s.password);
             java.sql.PreparedStatement st = c.prepareStatement("select 1 from pg_available_extensions where name = ?")) {
            st.setString(1, name);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The test server's extensions could not be read: " + e.getMessage(), e);
        }
    }

    /** The test server's major version (13, 14, …), for tests of features a major introduced. */
    public static synchronized int serverMajor() {
        Server s = server();
        try (Connection c = connect(s.adminJdbcUrl, s.user, s.password); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("show server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1)) / 10000;
        } catch (SQLException e) {
            throw new IllegalStateException("The test server's version could not be read: " + e.getMessage(), e);
        }
    }

    private static String version(Server s) {
        try (Connection c = connect(s.adminJdbcUrl, s.user, s.password); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("show server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "unknown: " + e.getMessage();
        }
    }

    private static boolean dockerAvailable() {
        // Without a socket or DOCKER_HOST there is nothing to ask, and Testcontainers would log a page of errors.
        if (System.getenv("DOCKER_HOST") == null && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static Connection connect(String jdbcUrl, String user, String password) throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, properties);
    }
}
