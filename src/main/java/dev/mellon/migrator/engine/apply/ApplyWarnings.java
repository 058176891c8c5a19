package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.ExecutionMode;
import dev.mellon.migrator.folder.MigrationFolder;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The warnings an apply answers with: the plan's, the migrations run outside the batch, INVALID indexes left. */
final class ApplyWarnings {

    private ApplyWarnings() {
    }

    static List<String> of(ApplyPlan plan, List<ExecutionModes.Step> steps) {
        List<String> warnings = new ArrayList<>(plan.warnings());
        steps.stream().filter(step -> step.mode() != ExecutionMode.TRANSACTION)
                .map(step -> "\"" + step.migration().tag() + "\" runs outside the batch transaction (" + step.mode().wireName()
                        + ": " + step.reason() + "): work before it is committed first, its statements one at a time")
                .forEach(warnings::add);
        return warnings;
    }

    /**
     * After a run that built an index concurrently: every INVALID index of the database, with the migration that
     * builds it. The run has committed, so a failing query costs a warning, never the reply.
     */
    static List<String> invalidIndexes(Connection session, MigrationFolder folder) {
        try {
            return InvalidIndexes.warnings(InvalidIndexes.find(session, folder.migrations()));
        } catch (SQLException e) {
            return List.of("Could not look for INVALID indexes after the concurrent index builds: " + e.getMessage());
        }
    }
}
