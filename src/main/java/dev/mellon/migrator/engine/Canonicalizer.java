package dev.mellon.migrator.engine;

import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.diff.Differ;
import dev.mellon.migrator.folder.SqlScanner;
import dev.mellon.migrator.introspect.IntrospectOptions;
import dev.mellon.migrator.introspect.Introspector;
import dev.mellon.migrator.schema.SchemaModel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Schemas as PostgreSQL prints them. A model from a snapshot is created in a shadow database with our own DDL and
 * read back; submitted DDL is run there and read back. Both sides of a comparison are then printed by the same
 * server's deparser, so {@code x BETWEEN 3 AND 320} and {@code x >= 3 AND x <= 320} are one expression. The canonical
 * form of a model is cached by the hash of its DDL: a history's snapshots are materialised once per process.
 */
public final class Canonicalizer {

    private static final int CACHE_SIZE = 32;

    private final ShadowDatabases shadows;
    private final Map<String, SchemaModel> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SchemaModel> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    public Canonicalizer(ShadowDatabases shadows) {
        this.shadows = shadows;
    }

    /**
     * The model as PostgreSQL prints it. A {@link ShadowUnavailableException} means no canonical form can be had
     * (no shadow database, or the model's DDL does not run on its own, e.g. a default calling a missing function).
     */
    public SchemaModel canonical(SchemaModel model) {
        // Roles are cluster-wide and introspection does not read them: they are not rebuilt. Everything runs in one
        // transaction (no CONCURRENTLY) that is read back and rolled back, so nothing outlives the request.
        List<Change> changes = new Differ(Differ.Options.exact()).diff(SchemaModel.empty(), model).changes().stream()
                .filter(c -> !(c instanceof Change.CreateRole)).toList();
        List<String> statements = MigrationWriter.transactional().write(changes).stream()
                .map(dev.mellon.migrator.ddl.Statement::sql).toList();
        String key = sha256(String.join("\n--\n", statements));
        synchronized (cache) {
            SchemaModel cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        SchemaModel canonical = inRolledBackTransaction(connection -> {
            createMissingRoles(connection, model);
            for (int i = 0; i < statements.size(); i++) {
                try (Statement st = connection.createStatement()) {
                    st.execute(statements.get(i));
                } catch (SQLException e) {
                    throw new ShadowUnavailableException("The schema could not be rebuilt in a shadow database: statement "
                            + (i + 1) + " (" + Migrator.firstLine(statements.get(i)) + ") failed: " + e.getMessage(), e);
                }
            }
        });
        synchronized (cache) {
            cache.put(key, canonical);
        }
        return canonical;
    }

    /**
     * Runs DDL in a shadow database and reads back the schema it made; PostgreSQL parses it, we never do. The DDL runs
     * in a transaction that is rolled back, so what cannot run in one ({@code CREATE DATABASE}, {@code ALTER SYSTEM})
     * is refused and cluster-wide effects ({@code CREATE ROLE}) are undone; statements that would end that transaction
     * are refused before anything runs.
     */
    public SchemaModel fromSql(String sql) {
        String control = SqlScanner.firstTransactionControl(sql);
        if (control != null) {
            throw new InvalidSchemaSqlException(null, "Schema SQL may not control transactions (" + Migrator.firstLine(control)
                    + "); send the DDL alone", null, null, null);
        }
        return inRolledBackTransaction(connection -> {
            try (Statement st = connection.createStatement()) {
                st.setEscapeProcessing(false);
                st.execute(sql);
            } catch (SQLException e) {
                throw refused(sql, e);
            }
        });
    }

    private interface ShadowWork {
        void run(Connection connection);
    }

    /** Opens a shadow database, runs {@code work} in a transaction, reads the schema back, and rolls back. */
    private SchemaModel inRolledBackTransaction(ShadowWork work) {
        try (ShadowDatabases.Shadow shadow = shadows.open()) {
            Connection connection = shadow.connection();
            try {
                connection.setAutoCommit(false);
                work.run(connection);
                return introspect(shadow);
            } catch (SQLException e) {
                throw new ShadowUnavailableException("The shadow database could not be used: " + e.getMessage(), e);
            } finally {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // The database is dropped right after; nothing of it can outlive the request.
                }
            }
        }
    }

    /** Policies name roles; those the server lacks are created inside the transaction and vanish with it. */
    private static void createMissingRoles(Connection connection, SchemaModel model) {
        java.util.Set<String> roles = new java.util.TreeSet<>();
        model.tables().values().forEach(t -> t.policies().values().forEach(p -> {
            if (p.to() != null) {
                roles.addAll(p.to());
            }
        }));
        roles.removeAll(java.util.Set.of("public", "current_role", "current_user", "session_user"));
        for (String role : roles) {
            try (java.sql.PreparedStatement exists = connection.prepareStatement("select 1 from pg_roles where rolname = ?")) {
                exists.setString(1, role);
                if (exists.executeQuery().next()) {
                    continue;
                }
                try (Statement st = connection.createStatement()) {
                    st.execute("CREATE ROLE \"" + role.replace("\"", "\"\"") + "\" NOLOGIN");
                }
            } catch (SQLException e) {
                throw new ShadowUnavailableException("The role \"" + role + "\" a policy names does not exist and cannot be "
                        + "created for the comparison: " + e.getMessage(), e);
            }
        }
    }

    private static SchemaModel introspect(ShadowDatabases.Shadow shadow) {
        try {
            return new Introspector().introspect(shadow.connection(), IntrospectOptions.all()).schema();
        } catch (SQLException e) {
            throw new ShadowUnavailableException("The shadow database could not be read: " + e.getMessage(), e);
        }
    }

    private static InvalidSchemaSqlException refused(String sql, SQLException e) {
        ServerError error = ServerError.of(e);
        Integer line = null;
        Integer column = null;
        Integer position = error.position();
        if (position != null && position <= sql.length() + 1) {
            // PostgreSQL counts characters from 1 in the query string, which is the submitted text itself.
            String before = sql.substring(0, position - 1);
            line = 1 + (int) before.chars().filter(c -> c == '\n').count();
            column = before.length() - before.lastIndexOf('\n');
        }
        return new InvalidSchemaSqlException(error.sqlState(), error.message(), line, column, e);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
