package dev.mellon.migrator.engine.sandbox;

import dev.mellon.migrator.schema.SqlNames;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes sandboxes on one server: each a database of its own, created by the service's login and owned by it, in
 * which only the sandbox role may work; dropped when closed, failure or not. At most {@link
 * SandboxSettings#maxConcurrent()} are open at once in this process; a request that waits longer than {@link
 * SandboxSettings#queueWait()} for one is refused ({@link SandboxBusyException}). Databases left behind by a killed
 * process are swept later.
 */
public final class Sandboxes {

    /** Every sandbox database's name starts so; the creation second follows, so a sweep can spare young ones. */
    public static final String PREFIX = "mellon_sandbox_";
    /** What earlier versions called their shadow databases: swept too. */
    private static final String LEGACY_PREFIX = "mellon_shadow_";
    private static final Logger LOG = Logger.getLogger(Sandboxes.class.getName());

    private final SandboxServer server;
    private final SandboxSettings settings;
    private final Semaphore permits;
    private final Object preparing = new Object();
    private volatile SandboxLogin login;

    public Sandboxes(SandboxServer server, SandboxSettings settings) {
        this.server = server;
        this.settings = settings;
        this.permits = new Semaphore(settings.maxConcurrent(), true);
    }

    public SandboxSettings settings() {
        return settings;
    }

    SandboxServer server() {
        return server;
    }

    /**
     * The login sandboxes run as, prepared on first use (the role is created or checked then); a failure is not
     * kept, so a server that comes back is used again.
     */
    public SandboxLogin login() {
        SandboxLogin known = login;
        if (known != null) {
            return known;
        }
        synchronized (preparing) {
            if (login == null) {
                try (Connection admin = server.admin()) {
                    login = SandboxRoles.prepare(admin, settings, server.password());
                } catch (SQLException e) {
                    throw new SandboxUnavailableException("The sandbox server " + server.describe()
                            + " could not be asked about the sandbox role: " + e.getMessage() + " [SQLSTATE " + e.getSQLState() + "]", e);
                }
                LOG.info("Sandboxes run as role \"" + login.role() + "\" on " + server.describe()
                        + (login.ownLogin() ? " (the service's own login, which holds no privilege beyond its databases)" : ""));
            }
            return login;
        }
    }

    /** A sandbox with an empty database. */
    public Sandbox open() {
        return create(null);
    }

    /** A sandbox whose database starts as a copy of {@code template} (a database no session may be connected to). */
    public Sandbox cloneOf(String template) {
        return create(template);
    }

    private Sandbox create(String template) {
        SandboxLogin as = login();
        acquire();
        String name = PREFIX + (System.currentTimeMillis() / 1000) + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try {
            createDatabase(name, template, as);
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
        return new Sandbox(this, name, as, permits::release);
    }

    private void acquire() {
        try {
            if (!permits.tryAcquire(settings.queueWait().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SandboxBusyException(settings.maxConcurrent(), settings.queueWait(), Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxUnavailableException("Interrupted while waiting for a sandbox", e);
        }
    }

    private void createDatabase(String name, String template, SandboxLogin as) {
        String database = SqlNames.quote(name);
        try (Connection admin = server.admin(); Statement st = admin.createStatement()) {
            String create = "CREATE DATABASE " + database + (template == null ? " TEMPLATE template0 ENCODING 'UTF8'"
                    : " TEMPLATE " + SqlNames.quote(template));
            for (int attempt = 1; ; attempt++) {
                try {
                    st.execute(create);
                    break;
                } catch (SQLException e) {
                    // A template is copied only while nobody is connected to it: another replica may be reading it.
                    if (!"55006".equals(e.getSQLState()) || attempt == 10) {
                        throw e;
                    }
                    sleep(100L * attempt);
                }
            }
            if (!as.ownLogin()) {
                // Nobody else may even connect; the sandbox role may work there but not drop or alter the database.
                st.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
                st.execute("GRANT CONNECT, CREATE, TEMPORARY ON DATABASE " + database + " TO " + SqlNames.quote(as.role()));
            }
        } catch (SQLException e) {
            drop(name);
            throw new SandboxUnavailableException("No sandbox database could be created on " + server.describe() + " ("
                    + e.getMessage() + " [SQLSTATE " + e.getSQLState() + "]); the service's login needs CREATEDB, or set "
                    + "migrator.shadow-url to a server where it has it", e);
        }
        if (template == null && !as.ownLogin()) {
            handOverPublicSchema(name, as);
        }
    }

    /**
     * The sandbox role gets the {@code public} schema, as a database owner would have it, so that a history that
     * drops and re-creates it replays as it applies. Where the service's login may not give it away (it is not a
     * superuser), the role may still create objects there.
     */
    private void handOverPublicSchema(String name, SandboxLogin as) {
        try (Connection admin = server.admin(name); Statement st = admin.createStatement()) {
            try {
                st.execute("ALTER SCHEMA public OWNER TO " + SqlNames.quote(as.role()));
            } catch (SQLException e) {
                st.execute("GRANT ALL ON SCHEMA public TO " + SqlNames.quote(as.role()));
            }
        } catch (SQLException e) {
            LOG.fine("The public schema of sandbox " + name + " stays as it is: " + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxUnavailableException("Interrupted while waiting to copy a template", e);
        }
    }

    /** Drops a sandbox database, ending any session on it. */
    void drop(String name) {
        try (Connection admin = server.admin(); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + SqlNames.quote(name) + " WITH (FORCE)");
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "Could not drop sandbox database " + name + "; a later sweep drops it: " + e.getMessage());
        }
    }

    /** Whether a database of that name exists on the sandbox server. */
    public boolean exists(String database) {
        try (Connection admin = server.admin();
             java.sql.PreparedStatement st = admin.prepareStatement("select 1 from pg_database where datname = ?")) {
            st.setString(1, database);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new SandboxUnavailableException("The sandbox server " + server.describe() + " could not be read: "
                    + e.getMessage() + " [SQLSTATE " + e.getSQLState() + "]", e);
        }
    }

    /** Drops a kept database (a replay) by name. */
    public void dropKept(String database) {
        drop(database);
    }

    /** The kept databases whose names start with {@code prefix}, with their comments (one catalog query). */
    public java.util.Map<String, String> keptComments(String prefix) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (Connection admin = server.admin(); java.sql.PreparedStatement st = admin.prepareStatement(
                "select datname, coalesce(shobj_description(oid, 'pg_database'), '') from pg_database where starts_with(datname, ?)")) {
            st.setString(1, prefix);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new SandboxUnavailableException("The sandbox server " + server.describe() + " could not be read: "
                    + e.getMessage() + " [SQLSTATE " + e.getSQLState() + "]", e);
        }
        return out;
    }

    /** Work on a session of a kept database, as the sandbox role (never as the service's login). */
    @FunctionalInterface
    public interface KeptWork<T> {
        T run(Connection session) throws SQLException;
    }

    /** Reads a kept database (a replay) as the sandbox role, on a short session of its own. */
    public <T> T readKept(String database, KeptWork<T> work) {
        SandboxLogin as = login();
        try (Connection session = server.connect(database, as.role(), as.password(), java.util.Map.of("options",
                "-c statement_timeout=" + settings.replayTimeout().toMillis()))) {
            return work.run(session);
        } catch (SQLException e) {
            throw new SandboxUnavailableException("The kept sandbox " + database + " could not be read: " + e.getMessage()
                    + " [SQLSTATE " + e.getSQLState() + "]", e);
        }
    }

    /**
     * Drops the sandbox databases older than {@code minAgeSeconds}: those a killed process left. A younger one may be
     * another replica's, in use right now, and one that has a session is skipped too (no FORCE).
     */
    public List<String> sweep(long minAgeSeconds) {
        List<String> dropped = new ArrayList<>();
        long now = System.currentTimeMillis() / 1000;
        try (Connection admin = server.admin(); Statement st = admin.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("select datname from pg_database where datname like 'mellon\\_sandbox\\_%'"
                    + " or datname like 'mellon\\_shadow\\_%'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                String rest = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name.substring(LEGACY_PREFIX.length());
                long created;
                try {
                    created = Long.parseLong(rest.split("_")[0]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (now - created < minAgeSeconds) {
                    continue;
                }
                try {
                    st.execute("DROP DATABASE IF EXISTS " + SqlNames.quote(name));
                    dropped.add(name);
                } catch (SQLException e) {
                    LOG.fine("Sandbox database " + name + " is in use; left alone: " + e.getMessage());
                }
            }
        } catch (SQLException e) {
            LOG.log(Level.FINE, "Sandbox sweep skipped: " + e.getMessage());
        }
        return dropped;
    }
}
