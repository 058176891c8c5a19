package dev.mellon.migrator.engine.history;

import dev.mellon.migrator.schema.SqlNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Where drizzle-orm records applied migrations ({@code "drizzle"."__drizzle_migrations"} by default), and our audit
 * table beside it. The DDL is drizzle's own, byte for byte, so that either tool may create the table.
 */
public record TrackingTable(String schema, String table, String auditTable) {

    public static final String DEFAULT_SCHEMA = "drizzle";
    public static final String DEFAULT_TABLE = "__drizzle_migrations";
    public static final String DEFAULT_AUDIT_TABLE = "__mellon_migrator_audit";

    /** A fixed namespace for our advisory locks, so that they never collide with an application's one-key locks. */
    public static final int LOCK_NAMESPACE = 0x4d6c6e21;

    public TrackingTable {
        requireName(schema, "schema");
        requireName(table, "table");
        requireName(auditTable, "audit table");
    }

    public static TrackingTable defaults() {
        return new TrackingTable(DEFAULT_SCHEMA, DEFAULT_TABLE, DEFAULT_AUDIT_TABLE);
    }

    private static void requireName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty() || name.length() > 63 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("The tracking " + what + " name must be 1 to 63 characters without NUL: \"" + name + "\"");
        }
    }

    /** drizzle's quoting: double quotes with embedded quotes doubled. */
    public static String quote(String identifier) {
        return SqlNames.quote(identifier);
    }

    public String qualifiedName() {
        return quote(schema) + "." + quote(table);
    }

    String qualifiedAuditName() {
        return quote(schema) + "." + quote(auditTable);
    }

    /** The bookkeeping tables as {@code schema.table}, so that introspection and push leave them out of the schema. */
    public java.util.Set<String> ownTables() {
        // A set that tolerates equal names (an audit table named like the tracking table's progress table, say).
        return java.util.Set.copyOf(java.util.List.of(schema + "." + table, schema + "." + auditTable, schema + "." + progressTable(),
                schema + "." + runsTable()));
    }

    /** The runs table's name, unquoted: one row per apply run. */
    public String runsTable() {
        String name = auditTable + "_runs";
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    String qualifiedRunsName() {
        return quote(schema) + "." + quote(runsTable());
    }

    String createRunsTableSql() {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedRunsName() + " (\n"
                + "  id bigserial PRIMARY KEY,\n"
                + "  run_id uuid NOT NULL,\n"
                + "  started_at timestamptz NOT NULL,\n"
                + "  finished_at timestamptz NOT NULL,\n"
                + "  outcome text NOT NULL,\n"
                + "  applied_by text NOT NULL,\n"
                + "  client_address text,\n"
                + "  request_source text,\n"
                + "  git_commit text,\n"
                + "  transaction_mode text NOT NULL,\n"
                + "  planned text[] NOT NULL,\n"
                + "  applied text[] NOT NULL,\n"
                + "  failure_type text,\n"
                + "  failure_tag text,\n"
                + "  failure_statement text,\n"
                + "  failure_sql_state text,\n"
                + "  failure_message text\n"
                + ")";
    }

    /** The progress table's name, unquoted. */
    public String progressTable() {
        String name = auditTable + "_progress";
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /**
     * Our table of migrations running outside a transaction, beside the audit table (named after it, so that two
     * folders tracked with different audit tables never share progress).
     */
    String qualifiedProgressName() {
        return quote(schema) + "." + quote(progressTable());
    }

    public String createProgressTableSql() {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedProgressName() + " (\n"
                + "  tag text NOT NULL,\n"
                + "  created_at bigint NOT NULL,\n"
                + "  hash text NOT NULL,\n"
                + "  mode text NOT NULL,\n"
                + "  statements_done integer NOT NULL,\n"
                + "  statements_total integer NOT NULL,\n"
                + "  run_id uuid NOT NULL,\n"
                + "  started_at timestamptz NOT NULL DEFAULT now(),\n"
                + "  updated_at timestamptz NOT NULL DEFAULT now(),\n"
                + "  PRIMARY KEY (created_at, tag)\n"
                + ")";
    }

    public String createSchemaSql() {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
    }

    public String createTableSql() {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedName() + " (\n"
                + "    id SERIAL PRIMARY KEY,\n"
                + "    hash text NOT NULL,\n"
                + "    created_at bigint\n"
                + ")";
    }

    /** drizzle-orm 1.0's table: 0.x's columns, then the migration's directory name and when it was applied. */
    public String createNamedTableSql() {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedName() + " (\n"
                + "    id SERIAL PRIMARY KEY,\n"
                + "    hash text NOT NULL,\n"
                + "    created_at bigint,\n"
                + "    name text,\n"
                + "    applied_at timestamp with time zone DEFAULT now()\n"
                + ")";
    }

    String createAuditTableSql() {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedAuditName() + " (\n"
                + "  id bigserial PRIMARY KEY,\n"
                + "  run_id uuid NOT NULL,\n"
                + "  tag text NOT NULL,\n"
                + "  hash text NOT NULL,\n"
                + "  created_at bigint NOT NULL,\n"
                + "  action text NOT NULL,\n"
                + "  applied_at timestamptz NOT NULL DEFAULT now(),\n"
                + "  duration_ms bigint NOT NULL,\n"
                + "  statements integer NOT NULL,\n"
                + "  transaction_mode text NOT NULL,\n"
                + "  applied_by text NOT NULL,\n"
                + "  client_address text,\n"
                + "  request_source text,\n"
                + "  reason text\n"
                + ")";
    }

    /**
     * The second half of the advisory lock key: the first four bytes of SHA-256 over the qualified table name, so
     * every service that tracks into the same table meets at the same lock, and other tables do not.
     */
    public int lockKey() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(qualifiedName().getBytes(StandardCharsets.UTF_8));
            return ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8) | (digest[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
