package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.diff.Differ;
import dev.mellon.migrator.engine.sandbox.Sandbox;
import dev.mellon.migrator.engine.sandbox.SandboxUnavailableException;
import dev.mellon.migrator.introspect.IntrospectOptions;
import dev.mellon.migrator.introspect.Introspector;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a schema model in a sandbox with our own DDL and reads it back, so that PostgreSQL prints it. Nothing the
 * model holds is executed on the way: materialized views are made {@code WITH NO DATA}, tables are empty (so
 * defaults, checks and index expressions are never evaluated), and roles, being cluster-wide, are never created: a
 * policy is built for the roles the server has and its own list is put back on what is read.
 */
public final class ModelBuilds {

    private static final Set<String> BUILT_IN_ROLES = Set.of("public", "current_role", "current_user", "session_user");

    private ModelBuilds() {
    }

    /**
     * Takes the sandbox from {@code from} (what it holds now, as built here) to {@code to}, in one transaction: when a
     * statement fails, the sandbox still holds {@code from}.
     */
    public static void build(Sandbox sandbox, SchemaModel from, SchemaModel to) throws SQLException {
        Connection session = sandbox.session();
        Set<String> roles = existingRoles(session);
        session.setAutoCommit(false);
        try {
            sandbox.runStatements(statements(buildable(from, roles), buildable(to, roles)));
            session.commit();
        } finally {
            if (!session.getAutoCommit()) {
                session.rollback();
                session.setAutoCommit(true);
            }
        }
    }

    /**
     * {@code model} as PostgreSQL prints it: built from nothing in a transaction of the sandbox, read, and rolled back,
     * so that one sandbox serves one build after another.
     */
    public static SchemaModel printed(Sandbox sandbox, SchemaModel model) throws SQLException {
        Connection session = sandbox.session();
        Set<String> roles = existingRoles(session);
        session.setAutoCommit(false);
        try {
            sandbox.runStatements(statements(SchemaModel.empty(), buildable(model, roles)));
            return read(sandbox, model);
        } finally {
            session.rollback();
            session.setAutoCommit(true);
        }
    }

    /** The sandbox's schema as PostgreSQL prints it, with the policy role lists of {@code source} (if given). */
    public static SchemaModel read(Sandbox sandbox, SchemaModel source) {
        try {
            SchemaModel read = new Introspector().introspect(sandbox.session(), IntrospectOptions.all()).schema();
            return source == null ? read : withPolicyRolesOf(source, read);
        } catch (SQLException e) {
            throw new SandboxUnavailableException("The sandbox could not be read: " + e.getMessage() + " [SQLSTATE "
                    + e.getSQLState() + "]", e);
        }
    }

    /** The DDL that creates {@code model} from nothing, as one transaction would (no concurrent builds, no roles). */
    public static List<String> statements(SchemaModel model) {
        return statements(SchemaModel.empty(), model);
    }

    static List<String> statements(SchemaModel from, SchemaModel to) {
        List<Change> changes = new Differ(Differ.Options.exact()).diff(from, to).changes().stream()
                .filter(c -> !(c instanceof Change.CreateRole || c instanceof Change.DropRole || c instanceof Change.AlterRole)).toList();
        return MigrationWriter.transactional().write(changes).stream().map(dev.mellon.migrator.ddl.Statement::sql).toList();
    }

    static Set<String> existingRoles(Connection connection) throws SQLException {
        Set<String> roles = new HashSet<>(BUILT_IN_ROLES);
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("select rolname from pg_roles")) {
            while (rs.next()) {
                roles.add(rs.getString(1));
            }
        }
        return roles;
    }

    /** What is built: materialized views without data, and policies only for roles the server has. */
    static SchemaModel buildable(SchemaModel model, Set<String> roles) {
        Map<String, SchemaObjects.View> views = new LinkedHashMap<>();
        model.views().forEach((key, v) -> views.put(key, v.materialized()
                ? new SchemaObjects.View(v.columns(), v.definition(), v.name(), v.schema(), v.isExisting(), v.with(), true,
                true, v.using(), v.tablespace())
                : v));
        Map<String, Table> tables = new LinkedHashMap<>();
        model.tables().forEach((key, t) -> {
            Map<String, Constraints.Policy> policies = new LinkedHashMap<>();
            t.policies().forEach((name, p) -> policies.put(name, withRoles(p, roles)));
            tables.put(key, new Table(t.name(), t.schema(), t.columns(), t.indexes(), t.foreignKeys(), t.compositePrimaryKeys(),
                    t.uniqueConstraints(), policies, t.checkConstraints(), t.isRLSEnabled()));
        });
        return new SchemaModel(tables, model.enums(), model.schemas(), model.sequences(), model.roles(), model.policies(), views);
    }

    static Constraints.Policy withRoles(Constraints.Policy p, Set<String> roles) {
        if (p.to() == null) {
            return p;
        }
        List<String> to = p.to().stream().filter(roles::contains).toList();
        return new Constraints.Policy(p.name(), p.as(), p.forCommand(), to.isEmpty() ? List.of("public") : to, p.using(),
                p.withCheck(), p.on(), p.schema());
    }

    /** {@code read} with each policy's role list as {@code source} names it (roles are names; PostgreSQL keeps them). */
    static SchemaModel withPolicyRolesOf(SchemaModel source, SchemaModel read) {
        Map<String, Table> tables = new LinkedHashMap<>();
        read.tables().forEach((key, t) -> {
            Table original = source.tables().get(key);
            Map<String, Constraints.Policy> policies = new LinkedHashMap<>();
            t.policies().forEach((name, p) -> {
                Constraints.Policy wanted = original == null ? null : original.policies().get(name);
                policies.put(name, wanted == null || wanted.to() == null ? p : new Constraints.Policy(p.name(), p.as(),
                        p.forCommand(), wanted.to().stream().sorted().toList(), p.using(), p.withCheck(), p.on(), p.schema()));
            });
            tables.put(key, new Table(t.name(), t.schema(), t.columns(), t.indexes(), t.foreignKeys(), t.compositePrimaryKeys(),
                    t.uniqueConstraints(), policies, t.checkConstraints(), t.isRLSEnabled()));
        });
        return new SchemaModel(tables, read.enums(), read.schemas(), read.sequences(), read.roles(), read.policies(), read.views());
    }

}
