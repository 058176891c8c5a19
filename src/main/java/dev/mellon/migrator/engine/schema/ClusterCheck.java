package dev.mellon.migrator.engine.schema;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Holds the statements replay did not run against the target's server: are their roles and memberships there? */
final class ClusterCheck {

    private final DataSource pool;

    ClusterCheck(DataSource pool) {
        this.pool = pool;
    }

    /**
     * What the target's server says of statements replay did not run: a role created (or granted) is {@code present}
     * or {@code missing}, one dropped (or revoked) the other way round; anything else is {@code not-compared}.
     */
    List<NotReplayed> check(List<NotReplayed> skipped) {
        if (skipped.stream().noneMatch(n -> n.cluster() != null)) {
            return skipped;
        }
        java.util.Set<String> roles = new java.util.HashSet<>();
        java.util.Set<String> memberships = new java.util.HashSet<>();
        try (Connection connection = pool.getConnection(); java.sql.Statement st = connection.createStatement()) {
            try (java.sql.ResultSet rs = st.executeQuery("select rolname from pg_roles")) {
                while (rs.next()) {
                    roles.add(rs.getString(1));
                }
            }
            try (java.sql.ResultSet rs = st.executeQuery("select r.rolname, m.rolname from pg_auth_members a"
                    + " join pg_roles r on r.oid = a.roleid join pg_roles m on m.oid = a.member")) {
                while (rs.next()) {
                    memberships.add(rs.getString(1) + "\u0000" + rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new dev.mellon.migrator.engine.core.DatabaseUnavailableException("Could not read the server's roles: " + e.getMessage(), e.getSQLState(), e);
        }
        List<NotReplayed> out = new ArrayList<>();
        for (NotReplayed n : skipped) {
            ClusterStatement c = n.cluster();
            String status = "not-compared";
            if (c != null && c.kind() == ClusterStatement.Kind.ROLE
                    && (c.action().equals("create") || c.action().equals("drop")) && !c.roles().isEmpty()) {
                boolean all = c.roles().stream().allMatch(roles::contains);
                boolean none = c.roles().stream().noneMatch(roles::contains);
                status = c.action().equals("create") ? (all ? "present" : "missing") : (none ? "present" : "missing");
            } else if (c != null && c.kind() == ClusterStatement.Kind.MEMBERSHIP
                    && !c.roles().isEmpty() && !c.members().isEmpty()) {
                boolean all = true;
                for (String role : c.roles()) {
                    for (String member : c.members()) {
                        all &= memberships.contains(role + "\u0000" + member) == c.action().equals("grant");
                    }
                }
                status = all ? "present" : "missing";
            }
            out.add(n.withTarget(status));
        }
        return out;
    }

}
