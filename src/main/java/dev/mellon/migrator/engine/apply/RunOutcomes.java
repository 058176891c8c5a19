package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.DatabaseUnavailableException;
import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.history.RunStore;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** How an apply that did not finish is written in the run history: its outcome, what committed, where it stopped. */
final class RunOutcomes {

    private RunOutcomes() {
    }

    /** The run row of an apply that ended with {@code e}: its outcome, what committed, and where it stopped. */
    static RunStore.Run failed(UUID runId, OffsetDateTime startedAt, ApplyOptions options, RunContext context,
                              List<String> planned, RuntimeException e) {
        FailureKind kind = FailureKind.of(e);
        List<String> applied = List.of();
        RunStore.Failure failure;
        if (e instanceof MigrationFailedException f) {
            applied = f.committed();
            failure = new RunStore.Failure(kind.wireName(), f.tag(), f.statementFirstLine(), f.sqlState(), f.getMessage());
        } else if (e instanceof ConnectionLostException c) {
            applied = c.committed();
            // Not the driver's own words, which can name hosts and users: the history is open to viewers.
            failure = new RunStore.Failure(kind.wireName(), c.tag(), c.statementFirstLine(), c.sqlState(),
                    "The connection was lost during \"" + c.tag() + "\"; " + (c.observed()
                    ? "committed " + c.committed() + ", rolled back " + c.rolledBack()
                    : "the outcome could not be read back"));
        } else if (e instanceof ApplyRefusedException r) {
            failure = new RunStore.Failure(r.reason().wireName(), r.offending().isEmpty() ? null : r.offending().get(0).tag(),
                    null, null, r.getMessage());
        } else if (kind != FailureKind.ERROR) {
            failure = new RunStore.Failure(kind.wireName(), null, null, null, e.getMessage());
        } else {
            // The message of an unexpected or database error may quote the driver; the server log keeps it.
            String name = e.getClass().getSimpleName().replaceAll("Exception$", "")
                    .replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            String sqlState = e instanceof DatabaseUnavailableException d ? d.sqlState() : null;
            failure = new RunStore.Failure(name, null, null, sqlState, "The run stopped with " + name
                    + (sqlState == null ? "" : " (SQLSTATE " + sqlState + ")") + "; the server log has the details");
        }
        return new RunStore.Run(0, runId, startedAt, OffsetDateTime.now(), kind.runOutcome(), context.appliedBy(),
                context.clientAddress(), context.requestSource(), context.gitCommit(), options.transactionMode().wireName(),
                planned, applied, failure);
    }
}
