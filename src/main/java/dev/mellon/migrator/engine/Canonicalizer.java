package dev.mellon.migrator.engine;

import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.diff.Differ;
import dev.mellon.migrator.engine.sandbox.Extension;
import dev.mellon.migrator.engine.sandbox.Sandbox;
import dev.mellon.migrator.engine.sandbox.SandboxUnavailableException;
import dev.mellon.migrator.engine.sandbox.Sandboxes;
import dev.mellon.migrator.introspect.IntrospectOptions;
import dev.mellon.migrator.introspect.Introspector;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Schemas as PostgreSQL prints them. A model from a snapshot is built in a sandbox with our own DDL and read back;
 * submitted DDL is run in a sandbox and read back. Both sides of a comparison are then printed by the same server's
 * deparser, so {@code x BETWEEN 3 AND 320} and {@code x >= 3 AND x <= 320} are one expression. The canonical form of a
 * model is cached by the hash of its DDL: a history's snapshots are built once per process.
 *
 * <p>Nothing a snapshot holds is executed while it is built: materialized views are made {@code WITH NO DATA}, and
 * tables are empty, so defaults, checks and index expressions are never evaluated.
 */
public final class Canonicalizer {

    private static final int CACHE_SIZE = 32;
    private static final Set<String> BUILT_IN_ROLES = Set.of("public", "current_role", "current_user", "session_user");

    private final Sandboxes sandboxes;
    private final Map<String, SchemaModel> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SchemaModel> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    public Canonicalizer(Sandboxes sandboxes) {
        this.sandboxes = sandboxes;
    }

    public Sandboxes sandboxes() {
        return sandboxes;
    }

    /** The model as PostgreSQL prints it, built in a sandbox with no extensions. */
    public SchemaModel canonical(SchemaModel model) {
        return canonical(model, List.of());
    }

    /**
     * The model as PostgreSQL prints it, built in a sandbox that first gets {@code extensions} (a history's, whose
     * functions and types the model's defaults and columns may use). A {@link SandboxUnavailableException} means no
     * sandbox can be had; a {@link dev.mellon.migrator.engine.sandbox.SandboxStatementException} that the model's DDL
     * was refused or failed there.
     */
    public SchemaModel canonical(SchemaModel model, Collection<Extension> extensions) {
        Set<Extension> wanted = new TreeSet<>(extensions);
        String key = sha256(String.join("\n--\n", statements(model)) + "\n--extensions " + wanted);
        synchronized (cache) {
            SchemaModel cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        SchemaModel canonical;
        try (Sandbox sandbox = sandboxes.open()) {
            for (Extension extension : wanted) {
                if (!sandbox.createExtension(extension.name(), extension.schema(), true)) {
                    throw new SandboxUnavailableException("The extension \"" + extension.name() + "\" the schema uses is not "
                            + "available on the sandbox server");
                }
            }
            // Policies may name roles this server lacks, and roles are cluster-wide, so none is created: such a policy
            // is built for the roles that exist, and its own list is put back on what is read.
            SchemaModel buildable = buildable(model, existingRoles(sandbox.session()));
            sandbox.runStatements(statements(buildable));
            canonical = withPolicyRolesOf(model, introspect(sandbox.session()));
        } catch (SQLException e) {
            throw new SandboxUnavailableException("The sandbox could not be used: " + e.getMessage() + " [SQLSTATE "
                    + e.getSQLState() + "]", e);
        }
        synchronized (cache) {
            cache.put(key, canonical);
        }
        return canonical;
    }

    /** The DDL that creates {@code model} from nothing, as one transaction would (no concurrent builds, no roles). */
    private static List<String> statements(SchemaModel model) {
        List<Change> changes = new Differ(Differ.Options.exact()).diff(SchemaModel.empty(), model).changes().stream()
                .filter(c -> !(c instanceof Change.CreateRole)).toList();
        return MigrationWriter.transactional().write(changes).stream().map(dev.mellon.migrator.ddl.Statement::sql).toList();
    }

    /**
     * Runs DDL a caller sent in a sandbox and reads back the schema it made; PostgreSQL parses it, we never do. Only
     * schema DDL runs, one statement at a time, as the sandbox role.
     */
    public SchemaModel fromSql(String sql) {
        try (Sandbox sandbox = sandboxes.open()) {
            sandbox.runText(sql);
            return introspect(sandbox.session());
        } catch (SQLException e) {
            throw new SandboxUnavailableException("The sandbox could not be used: " + e.getMessage() + " [SQLSTATE "
                    + e.getSQLState() + "]", e);
        }
    }

    private static Set<String> existingRoles(Connection connection) throws SQLException {
        Set<String> roles = new HashSet<>(BUILT_IN_ROLES);
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("select rolname from pg_roles")) {
            while (rs.next()) {
                roles.add(rs.getString(1));
            }
        }
        return roles;
    }

    /** What is built: materialized views without data, and policies only for roles the server has. */
    private static SchemaModel buildable(SchemaModel model, Set<String> roles) {
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

    private static Constraints.Policy withRoles(Constraints.Policy p, Set<String> roles) {
        if (p.to() == null) {
            return p;
        }
        List<String> to = p.to().stream().filter(roles::contains).toList();
        return new Constraints.Policy(p.name(), p.as(), p.forCommand(), to.isEmpty() ? List.of("public") : to, p.using(),
                p.withCheck(), p.on(), p.schema());
    }

    /** {@code read} with each policy's role list as {@code source} names it (roles are names; PostgreSQL keeps them). */
    private static SchemaModel withPolicyRolesOf(SchemaModel source, SchemaModel read) {
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

    private static SchemaModel introspect(Connection session) {
        try {
            return new Introspector().introspect(session, IntrospectOptions.all()).schema();
        } catch (SQLException e) {
            throw new SandboxUnavailableException("The sandbox could not be read: " + e.getMessage() + " [SQLSTATE "
                    + e.getSQLState() + "]", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
