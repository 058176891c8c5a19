package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.StatusReport;
import dev.mellon.migrator.folder.FolderFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides what an apply runs, and refuses histories that are not safe to extend. Pure: the history and the options in,
 * a plan or an {@link ApplyRefusedException} out.
 */
final class ApplyPlanner {

    /** States an apply may run; the others are applied, or must be settled first. */
    private static final Set<MigrationState> RUNNABLE =
            Set.of(MigrationState.PENDING, MigrationState.OUT_OF_ORDER, MigrationState.MOVED, MigrationState.INTERRUPTED);

    private ApplyPlanner() {
    }

    static ApplyPlan plan(StatusReport report, ApplyOptions options) {
        List<MigrationStatus> ambiguous = report.inState(MigrationState.AMBIGUOUS);
        if (!ambiguous.isEmpty()) {
            throw new ApplyRefusedException(ApplyRefusedException.Reason.AMBIGUOUS, ambiguous);
        }
        List<MigrationStatus> interrupted = report.inState(MigrationState.INTERRUPTED);
        if (!interrupted.isEmpty() && !options.resume()) {
            throw new ApplyRefusedException(ApplyRefusedException.Reason.INTERRUPTED, interrupted);
        }
        if (interrupted.isEmpty() && options.resume()) {
            throw new ApplyRefusedException(ApplyRefusedException.Reason.NOTHING_TO_RESUME, List.of());
        }
        List<MigrationStatus> changed = report.inState(MigrationState.CHANGED);
        if (!changed.isEmpty() && !options.allowChanged()) {
            throw new ApplyRefusedException(ApplyRefusedException.Reason.CHANGED, changed);
        }
        List<MigrationStatus> moved = report.inState(MigrationState.MOVED);
        if (!moved.isEmpty() && !options.allowMoved()) {
            throw new ApplyRefusedException(ApplyRefusedException.Reason.MOVED, moved);
        }
        // drizzle-orm 1.0 matches by name and keeps no high-water mark: nothing is out of order or stranded there.
        boolean byName = report.folder().format() == FolderFormat.DIRECTORIES;
        // A moved entry at or below the mark is one drizzle would skip: running it is running out of order too.
        List<MigrationStatus> outOfOrder = byName ? List.of() : report.migrations().stream()
                .filter(s -> s.state() == MigrationState.OUT_OF_ORDER
                        || s.state() == MigrationState.MOVED && belowMark(s, report.highWaterMark()))
                .toList();
        if (!outOfOrder.isEmpty() && !options.allowOutOfOrder()) {
            throw new ApplyRefusedException(ApplyRefusedException.Reason.OUT_OF_ORDER, outOfOrder);
        }

        List<MigrationStatus> steps = new ArrayList<>();
        List<MigrationStatus> notRun = new ArrayList<>();
        boolean pastTarget = false;
        for (MigrationStatus status : report.migrations()) {
            if (RUNNABLE.contains(status.state())) {
                (pastTarget ? notRun : steps).add(status);
            }
            pastTarget |= status.tag().equals(options.target());
        }
        List<String> warnings = new ArrayList<>();
        ApplyPlan draft = new ApplyPlan(steps, notRun, report.highWaterMark(), List.of());
        List<MigrationStatus> stranded = byName ? List.of() : draft.strandedAfter(steps.stream().map(MigrationStatus::tag).toList());
        if (!stranded.isEmpty()) {
            Long after = draft.highWaterMarkAfter(steps.stream().map(MigrationStatus::tag).toList());
            if (!options.allowOutOfOrder()) {
                throw new ApplyRefusedException(ApplyRefusedException.Reason.STRANDED, stranded, after);
            }
            warnings.add("This run raises drizzle's high-water mark to " + after + " and leaves "
                    + String.join(", ", stranded.stream().map(MigrationStatus::tag).toList())
                    + " unapplied below it: drizzle will skip them; apply them with allowOutOfOrder");
        }
        if (!report.nullCreatedAt().isEmpty() && !byName) {
            warnings.add(report.nullCreatedAt().size() + " tracking row(s) have a NULL created_at: drizzle-orm's migrator "
                    + "reads the history as empty and would re-run every migration. This service matches rows by when and "
                    + "hash and is not affected; set or delete those rows before drizzle runs here");
        }
        return new ApplyPlan(steps, notRun, report.highWaterMark(), warnings);
    }

    private static boolean belowMark(MigrationStatus status, Long highWaterMark) {
        return highWaterMark != null && status.migration().when() <= highWaterMark;
    }
}
