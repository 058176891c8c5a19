package dev.mellon.migrator.api;

import dev.mellon.migrator.folder.FolderWarning;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * What an apply would run next, in order. Out-of-order, changed, moved and ambiguous entries are listed apart: apply
 * refuses them unless allowed (ambiguous ones always).
 */
@Schema(name = "Pending")
public record PendingResponse(int count, int statements, List<MigrationView> pending, List<MigrationView> outOfOrder,
                              List<MigrationView> changed, List<MigrationView> moved, List<MigrationView> ambiguous,
                              List<MigrationView> interrupted, List<FolderWarning> warnings) {

    /** What an apply would run next, from the history's status. */
    public static PendingResponse of(dev.mellon.migrator.engine.StatusReport report) {
        List<MigrationView> pending = views(report.inState(dev.mellon.migrator.engine.MigrationState.PENDING));
        return new PendingResponse(pending.size(), pending.stream().mapToInt(MigrationView::statements).sum(), pending,
                views(report.inState(dev.mellon.migrator.engine.MigrationState.OUT_OF_ORDER)),
                views(report.inState(dev.mellon.migrator.engine.MigrationState.CHANGED)),
                views(report.inState(dev.mellon.migrator.engine.MigrationState.MOVED)),
                views(report.inState(dev.mellon.migrator.engine.MigrationState.AMBIGUOUS)),
                views(report.inState(dev.mellon.migrator.engine.MigrationState.INTERRUPTED)),
                HistoryResponse.warnings(report));
    }

    private static List<MigrationView> views(List<dev.mellon.migrator.engine.MigrationStatus> statuses) {
        return statuses.stream().map(MigrationView::of).toList();
    }
}
