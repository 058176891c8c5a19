package dev.mellon.migrator.engine.edit;

import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.apply.Transactions;
import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.core.TransactionMode;
import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.engine.history.HistoryReader;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.StatusReport;
import dev.mellon.migrator.engine.history.TrackingStore;
import dev.mellon.migrator.engine.schema.SchemaDiffs;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.schema.NameFilter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Adopts an existing database into the history: every entry up to {@code to} is recorded as applied, but only after
 * introspection shows the database really has the schema the history's SQL up to {@code to} produces (compared as
 * drift is: with a replay, else with {@code to}'s snapshot). Otherwise nothing is written and the differences are named.
 */
public final class Baseliner {

    /** What a baseline recorded: the entries marked applied, and how the schema was compared. */
    public record Baselined(UUID runId, String to, List<String> marked, String comparison) {
    }

    private static final Set<MigrationState> MARKABLE = Set.of(MigrationState.PENDING, MigrationState.OUT_OF_ORDER);

    private final Migrator migrator;
    private final HistoryReader history;
    private final SchemaDiffs diffs;

    public Baseliner(Migrator migrator, SchemaDiffs diffs) {
        this.migrator = migrator;
        this.history = migrator.history();
        this.diffs = diffs;
    }

    public Baselined baseline(String to, String reason, Duration wait, RunContext context) {
        MigrationFolder folder = migrator.folder();
        if (folder.find(to).isEmpty()) {
            throw new UnknownMigrationException(to, "to");
        }
        SchemaDiffs.Diff check = diffs.diff("migrations@" + to, new SchemaDiffs.History(to), "database",
                new SchemaDiffs.Database(), null, NameFilter.all());
        if (!check.inSync()) {
            throw new BaselineMismatchException(to, check.differences(), check.comparison());
        }
        return migrator.withLock(wait, session -> {
            history.store().ensureTables(session, folder);
            StatusReport report = history.statusOn(session, folder);
            List<Migration> marked = new ArrayList<>();
            for (MigrationStatus status : report.migrations()) {
                if (MARKABLE.contains(status.state())) {
                    marked.add(status.migration());
                } else if (status.state() != MigrationState.APPLIED) {
                    throw new HistoryEditRefusedException(status.tag(), status.state(), "baseline",
                            "settle it first (a changed, moved, ambiguous or interrupted entry cannot be adopted)");
                }
                if (status.tag().equals(to)) {
                    break;
                }
            }
            UUID runId = UUID.randomUUID();
            if (!marked.isEmpty()) {
                Transactions.inOne(session, () -> {
                    history.store().insertTrackingRows(session, marked);
                    history.store().insertAuditRows(session, runId, marked.stream()
                            .map(m -> new TrackingStore.AuditEntry(m, "baselined", 0, reason)).toList(), TransactionMode.ALL, context);
                    history.store().notifyApplied(session, marked.get(marked.size() - 1).tag());
                    return null;
                });
            }
            return new Baselined(runId, to, marked.stream().map(Migration::tag).toList(), check.comparison());
        });
    }
}
