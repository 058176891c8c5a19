package dev.mellon.migrator.engine.history;

import dev.mellon.migrator.engine.core.DatabaseErrors;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The runs table: one row per apply run, whatever its outcome, written after the run on a
 * connection of its own (the apply session may be gone), and read back newest first with keyset paging.
 */
public final class RunStore {

    /** Every outcome a run row can carry. */
    public static final Set<String> OUTCOMES = Set.of("applied", "up-to-date", "failed", "refused", "lock-timeout",
            "connection-lost", "error");

    /** One apply run as recorded. */
    public record Run(long id, UUID runId, OffsetDateTime startedAt, OffsetDateTime finishedAt, String outcome,
                      String appliedBy, String clientAddress, String requestSource, String gitCommit,
                      String transactionMode, List<String> planned, List<String> applied, Failure failure) {
    }

    /** Why a run did not finish as planned. */
    public record Failure(String type, String tag, String statement, String sqlState, String message) {
    }

    /** A page of runs, newest first; {@code nextBefore} is the id to ask for the next page with, or {@code null}. */
    public record Page(List<Run> runs, Long nextBefore) {
    }

    private static final System.Logger LOG = System.getLogger(RunStore.class.getName());

    private final TrackingTable table;

    public RunStore(TrackingTable table) {
        this.table = table;
    }

    /** Best effort: a run that cannot be recorded (no privilege, database gone) is logged, never hides the run's own answer. */
    void record(DataSource pool, Run run) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                if (!exists(c)) {
                    st.execute(table.createSchemaSql());
                    st.execute(table.createRunsTableSql());
                }
            }
            try (PreparedStatement st = c.prepareStatement("insert into " + table.qualifiedRunsName()
                    + " (run_id, started_at, finished_at, outcome, applied_by, client_address, request_source, git_commit,"
                    + " transaction_mode, planned, applied, failure_type, failure_tag, failure_statement, failure_sql_state,"
                    + " failure_message) values (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int p = 1;
                st.setString(p++, run.runId().toString());
                st.setObject(p++, run.startedAt());
                st.setObject(p++, run.finishedAt());
                st.setString(p++, run.outcome());
                st.setString(p++, run.appliedBy());
                st.setString(p++, run.clientAddress());
                st.setString(p++, run.requestSource());
                st.setString(p++, run.gitCommit());
                st.setString(p++, run.transactionMode());
                st.setArray(p++, c.createArrayOf("text", run.planned().toArray()));
                st.setArray(p++, c.createArrayOf("text", run.applied().toArray()));
                Failure f = run.failure();
                st.setString(p++, f == null ? null : f.type());
                st.setString(p++, f == null ? null : f.tag());
                st.setString(p++, f == null ? null : f.statement());
                st.setString(p++, f == null ? null : f.sqlState());
                st.setString(p, f == null ? null : truncate(f.message(), 2000));
                st.executeUpdate();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not record apply run " + run.runId() + " (" + run.outcome() + ") in "
                    + table.qualifiedRunsName() + ": " + e.getMessage());
        }
    }

    private boolean exists(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select to_regclass(?) is not null")) {
            st.setString(1, table.qualifiedRunsName());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Runs newest first.
     *
     * @param outcome only runs with this outcome, or {@code null} for all
     * @param before  only runs with an id below this one (the previous page's {@code nextBefore}), or {@code null}
     */
    public Page list(DataSource pool, String outcome, int limit, Long before) {
        try (Connection c = pool.getConnection()) {
            if (!exists(c)) {
                return new Page(List.of(), null);
            }
            StringBuilder sql = new StringBuilder("select id, run_id, started_at, finished_at, outcome, applied_by, client_address,"
                    + " request_source, git_commit, transaction_mode, planned, applied, failure_type, failure_tag,"
                    + " failure_statement, failure_sql_state, failure_message from " + table.qualifiedRunsName() + " where true");
            if (outcome != null) {
                sql.append(" and outcome = ?");
            }
            if (before != null) {
                sql.append(" and id < ?");
            }
            sql.append(" order by id desc limit ?");
            try (PreparedStatement st = c.prepareStatement(sql.toString())) {
                int p = 1;
                if (outcome != null) {
                    st.setString(p++, outcome);
                }
                if (before != null) {
                    st.setLong(p++, before);
                }
                st.setInt(p, limit + 1);
                List<Run> runs = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        String failureType = rs.getString(13);
                        runs.add(new Run(rs.getLong(1), UUID.fromString(rs.getString(2)), rs.getObject(3, OffsetDateTime.class),
                                rs.getObject(4, OffsetDateTime.class), rs.getString(5), rs.getString(6), rs.getString(7),
                                rs.getString(8), rs.getString(9), rs.getString(10), strings(rs.getArray(11)), strings(rs.getArray(12)),
                                failureType == null ? null : new Failure(failureType, rs.getString(14), rs.getString(15),
                                        rs.getString(16), rs.getString(17))));
                    }
                }
                Long next = null;
                if (runs.size() > limit) {
                    runs = runs.subList(0, limit);
                    next = runs.get(limit - 1).id();
                }
                return new Page(List.copyOf(runs), next);
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate("The database refused the operation", e);
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
