package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.ExecutionMode;
import dev.mellon.migrator.engine.core.TransactionMode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a plan into the transactions an apply will run, statement by statement, with hazards and the sizes of the
 * tables touched, read from the live catalog, so "adds a NOT NULL column to a 40 GB table" shows before it runs.
 */
final class PlanDetails {

    private PlanDetails() {
    }

    static List<PlanGroup> of(List<ExecutionModes.Step> steps, TransactionMode mode, Map<String, Integer> resumeFrom,
                              Connection catalog) throws SQLException {
        Map<String, Optional<PlanGroup.TableSize>> sizes = new HashMap<>();
        List<PlanGroup> groups = new ArrayList<>();
        List<PlanGroup.Planned> batch = new ArrayList<>();
        for (ExecutionModes.Step step : steps) {
            PlanGroup.Planned planned = planned(step, resumeFrom.get(step.migration().tag()), catalog, sizes);
            if (step.mode() != ExecutionMode.TRANSACTION) {
                flush(groups, batch);
                groups.add(new PlanGroup(step.mode().wireName(), List.of(planned)));
                continue;
            }
            batch.add(planned);
            if (mode == TransactionMode.EACH || step.commitAfter()) {
                flush(groups, batch);
            }
        }
        flush(groups, batch);
        return groups;
    }

    private static void flush(List<PlanGroup> groups, List<PlanGroup.Planned> batch) {
        if (!batch.isEmpty()) {
            groups.add(new PlanGroup(batch.size() == 1 ? "own" : "batch", batch));
            batch.clear();
        }
    }

    private static PlanGroup.Planned planned(ExecutionModes.Step step, Integer resumeFrom, Connection catalog,
                                             Map<String, Optional<PlanGroup.TableSize>> sizes) throws SQLException {
        List<PlanGroup.PlannedStatement> statements = new ArrayList<>();
        for (int i = 0; i < step.statements().size(); i++) {
            String sql = step.statements().get(i);
            List<PlanGroup.TableSize> tables = new ArrayList<>();
            for (String table : SqlHazards.tables(sql)) {
                Optional<PlanGroup.TableSize> size = sizes.get(table);
                if (size == null) {
                    size = size(catalog, table);
                    sizes.put(table, size);
                }
                size.ifPresent(tables::add);
            }
            statements.add(new PlanGroup.PlannedStatement(i + 1, sql, SqlHazards.of(sql), tables));
        }
        return new PlanGroup.Planned(step.migration().tag(), step.mode().wireName(), resumeFrom, statements);
    }

    /** A table's row estimate and size on disk. */
    private static final String TABLE_SIZE = """
            select greatest(c.reltuples, 0)::bigint, pg_total_relation_size(c.oid)
              from pg_class c
             where c.oid = to_regclass(?)""";

    /** The table's estimates, or empty when it does not exist yet (a table the plan creates). */
    private static Optional<PlanGroup.TableSize> size(Connection catalog, String table) throws SQLException {
        try (PreparedStatement st = catalog.prepareStatement(TABLE_SIZE)) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new PlanGroup.TableSize(table, rs.getLong(1), rs.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            // A name to_regclass cannot parse (an odd quoting the scanner let through): no size for it.
            if ("42602".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
