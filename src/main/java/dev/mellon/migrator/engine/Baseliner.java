package dev.mellon.migrator.engine;

import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.diff.DriftReport;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.introspect.Introspection;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.schema.SchemaModel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Adopts an existing database into the history: every entry up to {@code to} is recorded as applied, but only after
 * introspection shows the database really has the schema of {@code to}'s snapshot (compared canonically, as drift is).
 * Otherwise nothing is written and the differences are named.
 */
public final class Baseliner {

    /** What a baseline recorded: the entries marked applied, and how the schema was compared. */
    public record Baselined(UUID runId, String to, List<String> marked, String comparison) {
    }

    private static final Set<MigrationState> MARKABLE = Set.of(MigrationState.PENDING, MigrationState.OUT_OF_ORDER);

    private final Migrator migrator;
    private final SchemaInspector inspector;
    private final SchemaComparer comparer;

    public Baseliner(Migrator migrator, SchemaInspector inspector, SchemaComparer comparer) {
        this.migrator = migrator;
        this.inspector = inspector;
        this.comparer = comparer;
    }

    public Baselined baseline(String to, String reason, Duration wait, RunContext context) {
        MigrationFolder folder = migrator.folder();
        if (folder.find(to).isEmpty()) {
            throw new UnknownMigrationException(to, "to");
        }
        SchemaModel expected = SchemaInspector.modelOf(inspector.expected(folder, to));
        Introspection live = inspector.introspect(SchemaInspector.schemasOf(expected), NameFilter.all());
        SchemaPlan repair = comparer.plan(SchemaSource.postgres("database", live.schema()),
                SchemaSource.snapshot("migrations@" + to, expected), List.of(), SchemaComparer.Style.DRIZZLE);
        List<Difference> differences = DriftReport.of(repair.changes());
        if (!differences.isEmpty()) {
            throw new BaselineMismatchException(to, differences, repair.comparison());
        }
        return migrator.withLock(wait, session -> {
            migrator.store().ensureTables(session);
            StatusReport report = migrator.statusOn(session, folder);
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
                    migrator.store().insertTrackingRows(session, marked);
                    migrator.store().insertAuditRows(session, runId, marked.stream()
                            .map(m -> new TrackingStore.AuditEntry(m, "baselined", 0, reason)).toList(), TransactionMode.ALL, context);
                    migrator.store().notifyApplied(session, marked.get(marked.size() - 1).tag());
                    return null;
                });
            }
            return new Baselined(runId, to, marked.stream().map(Migration::tag).toList(), repair.comparison());
        });
    }
}
