package dev.mellon.migrator.engine.sandbox;

import dev.mellon.migrator.schema.SqlNames;
import org.postgresql.PGConnection;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Finds or makes the role sandboxes log in as, and proves it unprivileged. A role that could read or write the
 * server's files, run programs, manage roles, replicate, bypass row security, signal other sessions or read all data
 * is never used: the sandbox is refused instead, with the reason.
 */
final class SandboxRoles {

    private static final Logger LOG = Logger.getLogger(SandboxRoles.class.getName());

    /**
     * Predefined roles whose members reach past their own databases (the server's files and programs, other sessions,
     * every table); a login in any of them is never a sandbox. Those a server version lacks are simply not found.
     */
    static final List<String> REACHING_ROLES = List.of("pg_read_server_files", "pg_write_server_files",
            "pg_execute_server_program", "pg_signal_backend", "pg_read_all_data", "pg_write_all_data",
            "pg_read_all_settings", "pg_read_all_stats", "pg_monitor", "pg_checkpoint", "pg_create_subscription",
            "pg_use_reserved_connections", "pg_maintain", "rds_superuser", "azure_pg_admin", "cloudsqlsuperuser");

    private SandboxRoles() {
    }

    /** A role's attributes and the roles it is a member of (directly or not). */
    record Facts(String name, boolean superuser, boolean createRole, boolean createDb, boolean replication,
                 boolean bypassRls, boolean canLogin, List<String> memberOf) {

        /** What lets this role reach past its own databases; empty when nothing does. */
        List<String> reach() {
            List<String> out = new ArrayList<>();
            if (superuser) {
                out.add("SUPERUSER");
            }
            if (createRole) {
                out.add("CREATEROLE");
            }
            if (replication) {
                out.add("REPLICATION");
            }
            if (bypassRls) {
                out.add("BYPASSRLS");
            }
            memberOf.stream().filter(REACHING_ROLES::contains).forEach(r -> out.add("member of " + r));
            return out;
        }

        /** A dedicated sandbox role holds nothing at all: no attribute beyond LOGIN and no membership. */
        List<String> beyondLogin() {
            List<String> out = reach();
            if (createDb) {
                out.add("CREATEDB");
            }
            memberOf.stream().filter(r -> !REACHING_ROLES.contains(r)).forEach(r -> out.add("member of " + r));
            return out;
        }
    }

    /**
     * The login sandboxes use: {@code settings.role()}, created (or reset to unprivileged) when the service's login
     * may manage roles; else the service's own login when that holds no reaching privilege; else none.
     *
     * @param admin          the service's session on the sandbox server
     * @param adminPassword  the service's own password, from which the role's password is derived when none is set
     */
    static SandboxLogin prepare(Connection admin, SandboxSettings settings, String adminPassword) throws SQLException {
        Facts self = facts(admin, null).orElseThrow();
        if (settings.role().equals(self.name())) {
            if (!self.reach().isEmpty()) {
                throw new SandboxUnavailableException("The sandbox role \"" + self.name() + "\" is the service's own login, which "
                        + "holds " + String.join(", ", self.reach()) + "; configure an unprivileged role (migrator.sandbox.role)");
            }
            return new SandboxLogin(self.name(), null, true);
        }
        String password = settings.password() != null ? settings.password() : derivedPassword(adminPassword, settings.role());
        boolean mayManage = settings.manageRole() && (self.superuser() || self.createRole());
        Optional<Facts> found = facts(admin, settings.role());
        if (found.isEmpty() && !mayManage) {
            if (self.reach().isEmpty()) {
                LOG.warning("The sandbox role \"" + settings.role() + "\" does not exist and \"" + self.name() + "\" may not create it;"
                        + " sandboxes run as \"" + self.name() + "\" itself, which holds no privilege beyond its own databases."
                        + " A dedicated role keeps a replayed history's session settings away from the service's own.");
                return new SandboxLogin(self.name(), null, true);
            }
            throw new SandboxUnavailableException("The sandbox role \"" + settings.role() + "\" does not exist, and the service's "
                    + "login \"" + self.name() + "\" may neither create it nor serve as one (it holds " + String.join(", ", self.reach())
                    + "). Create it (CREATE ROLE " + SqlNames.quote(settings.role()) + " LOGIN PASSWORD '…') and set "
                    + "migrator.sandbox.password, or set migrator.shadow-url to a server where the service may create it");
        }
        if (mayManage) {
            try {
                manage(admin, settings, found, password);
            } catch (SQLException e) {
                if (!"42501".equals(e.getSQLState())) {
                    throw e;
                }
                // A CREATEROLE login may not alter a role it did not create (PostgreSQL 16): take the role as it is.
                LOG.warning("The service may not manage the sandbox role \"" + settings.role() + "\" (" + e.getMessage()
                        + "); using it as it is");
            }
            found = facts(admin, settings.role());
        }
        Facts role = found.orElseThrow();
        List<String> excess = role.beyondLogin();
        if (!excess.isEmpty()) {
            throw new SandboxUnavailableException("The sandbox role \"" + role.name() + "\" is not unprivileged: it holds "
                    + String.join(", ", excess) + "; remove them (or let the service manage the role) before sandboxes can run");
        }
        if (!role.canLogin()) {
            throw new SandboxUnavailableException("The sandbox role \"" + role.name() + "\" cannot log in (NOLOGIN): sandboxes log "
                    + "in as it, since a SET ROLE from a privileged session can be undone by the text it runs");
        }
        return new SandboxLogin(role.name(), password, false);
    }

    /** Creates the role, or resets what is wrong with it, and sets its password and session limits. */
    private static void manage(Connection admin, SandboxSettings settings, Optional<Facts> found, String password) throws SQLException {
        String role = SqlNames.quote(settings.role());
        try (Statement st = admin.createStatement()) {
            if (found.isEmpty()) {
                try {
                    st.execute("CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
                            + " NOINHERIT CONNECTION LIMIT " + settings.connectionLimit());
                } catch (SQLException e) {
                    if (!"42710".equals(e.getSQLState())) { // another replica created it a moment ago
                        throw e;
                    }
                }
            } else {
                Facts f = found.get();
                List<String> fixes = new ArrayList<>();
                if (f.superuser()) {
                    fixes.add("NOSUPERUSER");
                }
                if (f.createDb()) {
                    fixes.add("NOCREATEDB");
                }
                if (f.createRole()) {
                    fixes.add("NOCREATEROLE");
                }
                if (f.replication()) {
                    fixes.add("NOREPLICATION");
                }
                if (f.bypassRls()) {
                    fixes.add("NOBYPASSRLS");
                }
                if (!f.canLogin()) {
                    fixes.add("LOGIN");
                }
                fixes.add("CONNECTION LIMIT " + settings.connectionLimit());
                st.execute("ALTER ROLE " + role + " " + String.join(" ", fixes));
            }
            // Backstops for sessions that change their own settings: new sessions of the role start with these.
            for (String setting : List.of("statement_timeout = '" + settings.replayTimeout().toMillis() + "ms'",
                    "lock_timeout = '" + settings.lockTimeout().toMillis() + "ms'",
                    "idle_in_transaction_session_timeout = '" + settings.idleTimeout().toMillis() + "ms'")) {
                st.execute("ALTER ROLE " + role + " SET " + setting);
            }
        }
        if (password != null) {
            // The driver sends a SCRAM verifier computed here: the password itself never reaches the server's logs.
            admin.unwrap(PGConnection.class).alterUserPassword(settings.role(), password.toCharArray(), "scram-sha-256");
        } else {
            try (Statement st = admin.createStatement()) {
                st.execute("ALTER ROLE " + role + " PASSWORD NULL");
            }
        }
    }

    /** The facts of {@code role}, or of the session's own login when {@code role} is null. */
    static Optional<Facts> facts(Connection connection, String role) throws SQLException {
        String sql = "select r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls,"
                + " r.rolcanlogin, array(select b.rolname::text from pg_roles b where b.oid <> r.oid"
                + " and pg_has_role(r.oid, b.oid, 'MEMBER') order by 1)"
                + " from pg_roles r where r.rolname = " + (role == null ? "current_user" : "?");
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            if (role != null) {
                st.setString(1, role);
            }
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<String> memberOf = new ArrayList<>();
                Array array = rs.getArray(8);
                for (Object o : (Object[]) array.getArray()) {
                    memberOf.add((String) o);
                }
                return Optional.of(new Facts(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4),
                        rs.getBoolean(5), rs.getBoolean(6), rs.getBoolean(7), List.copyOf(memberOf)));
            }
        }
    }

    /**
     * The sandbox role's password when none is configured: a keyed hash of the service's own password, so that every
     * replica sharing the server sets and uses the same one, and nobody without the service's password can compute
     * it. With no service password (trust or peer authentication) the role gets none either.
     */
    static String derivedPassword(String adminPassword, String role) {
        if (adminPassword == null || adminPassword.isEmpty()) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(adminPassword.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("mellon-migrator sandbox role " + role).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
