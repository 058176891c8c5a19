package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.engine.sandbox.Extension;
import dev.mellon.migrator.engine.sandbox.Sandbox;
import dev.mellon.migrator.engine.sandbox.SandboxUnavailableException;
import dev.mellon.migrator.engine.sandbox.Sandboxes;
import dev.mellon.migrator.schema.SchemaModel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.Collection;
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
        String key = sha256(String.join("\n--\n", ModelBuilds.statements(model)) + "\n--extensions " + wanted);
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
            ModelBuilds.build(sandbox, SchemaModel.empty(), model);
            canonical = ModelBuilds.read(sandbox, model);
        } catch (SQLException e) {
            throw new SandboxUnavailableException("The sandbox could not be used: " + e.getMessage() + " [SQLSTATE "
                    + e.getSQLState() + "]", e);
        }
        synchronized (cache) {
            cache.put(key, canonical);
        }
        return canonical;
    }

    /**
     * Runs DDL a caller sent in a sandbox and reads back the schema it made; PostgreSQL parses it, we never do. Only
     * schema DDL runs, one statement at a time, as the sandbox role.
     */
    public SchemaModel fromSql(String sql) {
        try (Sandbox sandbox = sandboxes.open()) {
            sandbox.runText(sql);
            return ModelBuilds.read(sandbox, null);
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
