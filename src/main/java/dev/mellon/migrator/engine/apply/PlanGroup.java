package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.diff.Hazard;

import java.util.List;

/**
 * One transaction (or none) of an apply plan, as a dry run reports it: which migrations run in it, each statement with
 * its hazards and the current size of every table it touches.
 *
 * @param transaction {@code batch} (the run's transaction, several migrations), {@code own} (one migration's), or the
 *                    migration's mode when it runs outside one ({@code no-transaction}, {@code self-managed})
 */
public record PlanGroup(String transaction, List<Planned> migrations) {

    public PlanGroup {
        migrations = List.copyOf(migrations);
    }

    /** One migration of the plan. */
    public record Planned(String tag, String mode, Integer resumeFrom, List<PlannedStatement> statements) {
        public Planned {
            statements = List.copyOf(statements);
        }
    }

    /** One statement as it will be sent, 1-based, with what it risks and the tables it touches. */
    public record PlannedStatement(int index, String sql, List<Hazard> hazards, List<TableSize> tables) {
        public PlannedStatement {
            hazards = List.copyOf(hazards);
            tables = List.copyOf(tables);
        }
    }

    /** A table's size now, from the catalog's estimates: {@code pg_class.reltuples} and {@code pg_total_relation_size}. */
    public record TableSize(String table, long estimatedRows, long totalBytes) {
    }
}
