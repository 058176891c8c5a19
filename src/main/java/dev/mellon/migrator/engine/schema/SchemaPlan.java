package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.ddl.Statement;
import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.diff.Hazard;
import dev.mellon.migrator.diff.Rename;

import java.util.List;

/**
 * The steps from one schema to another, as SQL in drizzle-kit's order, with their hazards.
 *
 * @param comparison {@code snapshot} (two snapshots compared as drizzle-kit compares them), {@code canonical} (both
 *                   sides printed by PostgreSQL) or {@code textual} (the fallback when no sandbox could be had)
 */
public record SchemaPlan(String comparison, List<Change> changes, List<Statement> statements, List<Hazard> hazards,
                         List<Rename> renameCandidates, List<String> warnings) {

    public SchemaPlan {
        changes = List.copyOf(changes);
        statements = List.copyOf(statements);
        hazards = List.copyOf(hazards);
        renameCandidates = List.copyOf(renameCandidates);
        warnings = List.copyOf(warnings);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public List<String> sql() {
        return statements.stream().map(Statement::sql).toList();
    }

    public List<Hazard> dataLoss() {
        return hazards.stream().filter(Hazard::losesData).toList();
    }
}
