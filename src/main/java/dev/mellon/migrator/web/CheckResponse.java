package dev.mellon.migrator.web;

import dev.mellon.migrator.engine.check.CheckFinding;
import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.engine.apply.InvalidIndexes;
import dev.mellon.migrator.engine.schema.HistoryCheck;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The folder check: {@code ok} when nothing is an error. */
@Schema(name = "CheckReport")
public record CheckResponse(boolean ok, int errors, int warnings, List<CheckFinding> findings,
                            @Schema(description = "With database=true only: the target database's INVALID indexes "
                                    + "(pg_index.indisvalid = false), each with the migration whose SQL creates an index "
                                    + "of that name (null when none does); each is also a finding (invalid-index, error; "
                                    + "index-being-built, warning, while a concurrent build of it runs)")
                            List<InvalidIndexes.InvalidIndex> invalidIndexes,
                            @Schema(description = "Where the snapshots disagree with what the history's SQL produces "
                                    + "(replayed in sandboxes, compared exactly); absent when the audit did not run")
                            SnapshotAudit snapshotAudit,
                            @Schema(description = "Why the snapshot audit did not run") String snapshotAuditSkipped) {

    @Schema(name = "SnapshotAudit")
    public record SnapshotAudit(
            @Schema(description = "Each entry where disagreements appear: what first disagrees after it") List<Entry> entries,
            @Schema(description = "What disagrees after the last entry with a snapshot: what generate would get wrong") List<Difference> last,
            String lastSnapshot,
            @Schema(description = "Snapshots that could not be built in a sandbox, with why") List<String> unbuildable,
            long millis) {
    }

    @Schema(name = "SnapshotDisagreement")
    public record Entry(String tag, String snapshot,
                        @Schema(description = "missing: the snapshot has it, the SQL does not make it; unexpected: the SQL "
                                + "makes it, the snapshot lacks it; changed: expected is the snapshot's, actual the SQL's")
                        List<Difference> differences) {
    }

    public static CheckResponse of(HistoryCheck.Report report) {
        List<CheckFinding> findings = report.findings();
        int errors = (int) findings.stream().filter(f -> f.severity().equals("error")).count();
        int warnings = (int) findings.stream().filter(f -> f.severity().equals("warning")).count();
        dev.mellon.migrator.engine.schema.SnapshotAudit.Result r = report.snapshots();
        SnapshotAudit audit = r == null ? null : new SnapshotAudit(r.disagreements().stream()
                .map(d -> new Entry(d.tag(), d.snapshotFile(), d.appeared())).toList(), r.last(), r.lastSnapshot(),
                r.unbuildable(), r.millis());
        return new CheckResponse(errors == 0, errors, warnings, findings, report.invalidIndexes(), audit,
                report.snapshotsSkipped());
    }
}
