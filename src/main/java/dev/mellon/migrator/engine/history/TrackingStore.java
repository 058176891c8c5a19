package dev.mellon.migrator.engine.history;

import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.core.TransactionMode;
import dev.mellon.migrator.folder.FolderFormat;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads and writes drizzle's tracking table and our audit table with plain JDBC. */
public final class TrackingStore {

    private final TrackingTable table;

    public TrackingStore(TrackingTable table) {
        this.table = table;
    }

    public TrackingTable table() {
        return table;
    }

    /**
     * Which of drizzle's table, our audit table and our progress table exist, and whether drizzle's has drizzle-orm
     * 1.0's {@code name} column: one round trip.
     */
    public record Presence(boolean tracking, boolean audit, boolean progress, boolean named) {
    }

    public Presence presence(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "select to_regclass(?) is not null, to_regclass(?) is not null, to_regclass(?) is not null, " + NAMED)) {
            st.setString(1, table.qualifiedName());
            st.setString(2, table.qualifiedAuditName());
            st.setString(3, table.qualifiedProgressName());
            st.setString(4, table.qualifiedName());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Presence(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4));
            }
        }
    }

    /** Whether the tracking table has drizzle-orm 1.0's {@code name} column (its own test: a column of that name). */
    private static final String NAMED = "exists (select 1 from pg_catalog.pg_attribute where attrelid = to_regclass(?)"
            + " and attname = 'name' and attnum > 0 and not attisdropped)";

    private boolean named(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("select " + NAMED)) {
            st.setString(1, table.qualifiedName());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** All rows in id order, with drizzle-orm 1.0's name where the table has one; the table must exist. */
    public List<TrackingRow> rows(Connection connection) throws SQLException {
        List<TrackingRow> rows = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select id, hash, created_at, to_jsonb(t) ->> 'name' from " + table.qualifiedName()
                     + " t order by id")) {
            while (rs.next()) {
                long createdAt = rs.getLong(3);
                Long nullable = rs.wasNull() ? null : createdAt;
                rows.add(new TrackingRow(rs.getLong(1), rs.getString(2), nullable, rs.getString(4)));
            }
        }
        return rows;
    }

    /**
     * When this service applied, or accepted an edit of, each (when, hash), from our audit table (which must exist).
     * Keyed by {@link StatusCalculator#auditKey}.
     */
    Map<String, OffsetDateTime> appliedAt(Connection connection) throws SQLException {
        Map<String, OffsetDateTime> appliedAt = new HashMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select created_at, hash, tag, max(applied_at) filter (where action <> 'rolled-back'),"
                     + " max(applied_at) filter (where action = 'rolled-back') from " + table.qualifiedAuditName()
                     + " group by created_at, hash, tag")) {
            while (rs.next()) {
                OffsetDateTime applied = rs.getObject(4, OffsetDateTime.class);
                OffsetDateTime rolledBack = rs.getObject(5, OffsetDateTime.class);
                // A rollback since the last apply (or accepted edit) takes the claim back.
                if (applied != null && (rolledBack == null || applied.isAfter(rolledBack))) {
                    appliedAt.merge(StatusCalculator.auditKey(rs.getLong(1), rs.getString(2)), applied, TrackingStore::later);
                    appliedAt.merge(StatusCalculator.auditKey(rs.getString(3), rs.getString(2)), applied, TrackingStore::later);
                }
            }
        }
        return appliedAt;
    }

    private static OffsetDateTime later(OffsetDateTime a, OffsetDateTime b) {
        return a.isAfter(b) ? a : b;
    }

    /**
     * For each (when, hash) this service applied, who applied it and how long it took, from the newest audit row of an
     * apply; keyed by {@link StatusCalculator#auditKey}. The audit table must exist.
     */
    public Map<String, AuditDetail> auditDetails(Connection connection) throws SQLException {
        Map<String, AuditDetail> details = new HashMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select distinct on (created_at, hash, tag) created_at, hash, tag, applied_by, duration_ms"
                     + " from " + table.qualifiedAuditName() + " where action like 'applied%'"
                     + " order by created_at, hash, tag, applied_at desc")) {
            while (rs.next()) {
                AuditDetail detail = new AuditDetail(rs.getString(4), rs.getLong(5));
                details.put(StatusCalculator.auditKey(rs.getString(3), rs.getString(2)), detail);
                // A journal entry renamed since it was applied has rows under two tags; the last tag in order wins.
                details.put(StatusCalculator.auditKey(rs.getLong(1), rs.getString(2)), detail);
            }
        }
        return details;
    }

    /** Set once the audit table is known to have its reason column, so later runs skip even the check. */
    private volatile boolean reasonColumnPresent;

    /**
     * Audit tables created before reasons were recorded gain the column. Looked up first: ALTER TABLE needs the table's
     * owner and an ACCESS EXCLUSIVE lock even when the column exists, which a deployer role may lack and readers would
     * queue behind.
     */
    private void addReasonColumnIfMissing(Connection connection) throws SQLException {
        if (reasonColumnPresent) {
            return;
        }
        try (PreparedStatement st = connection.prepareStatement("select exists (select 1 from pg_attribute"
                + " where attrelid = to_regclass(?) and attname = 'reason' and not attisdropped)")) {
            st.setString(1, table.qualifiedAuditName());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    try (Statement alter = connection.createStatement()) {
                        alter.execute("ALTER TABLE " + table.qualifiedAuditName() + " ADD COLUMN IF NOT EXISTS reason text");
                    }
                }
            }
        }
        reasonColumnPresent = true;
    }

    void ensureTables(Connection connection) throws SQLException {
        ensureTables(connection, false);
    }

    /**
     * Creates what is missing. For a drizzle-kit 1.0 folder, drizzle's table is created as drizzle-orm 1.0 creates it,
     * and a 0.x table is upgraded to it (named by hash, in one transaction) before anything else reads it.
     */
    public void ensureTables(Connection connection, MigrationFolder folder) throws SQLException {
        ensureTables(connection, folder.format() == FolderFormat.DIRECTORIES);
        if (folder.format() == FolderFormat.DIRECTORIES && !named(connection)) {
            upgrade(connection, folder);
        }
    }

    private void ensureTables(Connection connection, boolean named) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(table.createSchemaSql());
            st.execute(named ? table.createNamedTableSql() : table.createTableSql());
            st.execute(table.createAuditTableSql());
            addReasonColumnIfMissing(connection);
            st.execute(table.createProgressTableSql());
            // Created here, under the lock, so that concurrent first runs do not race to create it when they record.
            st.execute(table.createRunsTableSql());
        }
    }

    /**
     * Gives the table drizzle-orm 1.0's columns and every row its migration's name, matched by hash
     * ({@link TrackingNames}), or renames rows a wrong upgrade named after another migration. One transaction, on a
     * session that holds the migration lock; refused, with nothing changed, when a row records no migration or could
     * record several.
     *
     * @return the rows given a name, or a new one
     */
    public List<TrackingNames.Naming> upgrade(Connection connection, MigrationFolder folder) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            boolean wasNamed = named(connection);
            TrackingNames.Matching matching = TrackingNames.match(folder, rows(connection));
            if (!matching.complete()) {
                throw new TrackingUpgradeRefusedException(matching.unmatched(), matching.ambiguous());
            }
            if (!wasNamed) {
                // Only when the column is missing: ALTER TABLE takes an ACCESS EXCLUSIVE lock and needs the owner.
                try (Statement st = connection.createStatement()) {
                    st.execute("ALTER TABLE " + table.qualifiedName() + " ADD COLUMN IF NOT EXISTS \"name\" text");
                    st.execute("ALTER TABLE " + table.qualifiedName()
                            + " ADD COLUMN IF NOT EXISTS \"applied_at\" timestamp with time zone DEFAULT now()");
                }
            }
            List<TrackingNames.Naming> renames = matching.renames();
            // Like drizzle-orm 1.0, rows named by an upgrade say they were applied at an unknown time.
            try (PreparedStatement st = connection.prepareStatement("UPDATE " + table.qualifiedName() + " SET \"name\" = ?"
                    + (wasNamed ? "" : ", \"applied_at\" = NULL") + " WHERE \"id\" = ?")) {
                for (TrackingNames.Naming naming : renames) {
                    st.setString(1, naming.name());
                    st.setLong(2, naming.row().id());
                    st.addBatch();
                }
                st.executeBatch();
            }
            connection.commit();
            return renames;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Tells version-gate waiters on every instance that entries were applied; delivered when the caller's transaction
     * commits, and not at all when it rolls back.
     */
    public void notifyApplied(Connection connection, String tag) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("select pg_notify(?, ?)")) {
            st.setString(1, channel(table));
            st.setString(2, tag);
            st.execute();
        }
    }

    /**
     * One multi-row insert of drizzle's {@code (hash, created_at)} rows, in the caller's transaction, with drizzle-orm
     * 1.0's {@code name} where the table has that column (its {@code applied_at} takes its default, as drizzle's does).
     */
    public void insertTrackingRows(Connection connection, List<Migration> migrations) throws SQLException {
        if (migrations.isEmpty()) {
            return;
        }
        boolean named = named(connection);
        String row = named ? "(?, ?, ?)" : "(?, ?)";
        StringBuilder sql = new StringBuilder("insert into ").append(table.qualifiedName())
                .append(named ? " (\"hash\", \"created_at\", \"name\") values " : " (\"hash\", \"created_at\") values ");
        for (int i = 0; i < migrations.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(row);
        }
        try (PreparedStatement st = connection.prepareStatement(sql.toString())) {
            int p = 1;
            for (Migration m : migrations) {
                st.setString(p++, m.hash());
                st.setLong(p++, m.when());
                if (named) {
                    st.setString(p++, m.drizzleName());
                }
            }
            st.executeUpdate();
        }
    }

    /** @param reason why a person recorded this by hand (mark-applied, accept-change), or {@code null} */
    public record AuditEntry(Migration migration, String action, long millis, String reason) {
        public AuditEntry(Migration migration, String action, long millis) {
            this(migration, action, millis, null);
        }
    }

    public void insertAuditRows(Connection connection, UUID runId, List<AuditEntry> entries, TransactionMode mode,
                         RunContext context) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("insert into ").append(table.qualifiedAuditName())
                .append(" (run_id, tag, hash, created_at, action, duration_ms, statements, transaction_mode, applied_by,"
                        + " client_address, request_source, reason) values ");
        for (int i = 0; i < entries.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        }
        try (PreparedStatement st = connection.prepareStatement(sql.toString())) {
            int p = 1;
            for (AuditEntry e : entries) {
                st.setString(p++, runId.toString());
                st.setString(p++, e.migration().tag());
                st.setString(p++, e.migration().hash());
                st.setLong(p++, e.migration().when());
                st.setString(p++, e.action());
                st.setLong(p++, e.millis());
                st.setInt(p++, e.migration().statements().size());
                st.setString(p++, mode.wireName());
                st.setString(p++, context.appliedBy());
                st.setString(p++, context.clientAddress());
                st.setString(p++, context.requestSource());
                st.setString(p++, e.reason());
            }
            st.executeUpdate();
        }
    }

    /**
     * The {@code LISTEN} channel of a tracking table, which {@link #notifyApplied} wakes: applies into another table do
     * not wake the version gate's waiters.
     */
    public static String channel(TrackingTable table) {
        return "mellon_migrator_" + Integer.toHexString(table.lockKey());
    }
}
