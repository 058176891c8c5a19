package dev.mellon.migrator.web;

import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.StatusReport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;

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

    /** What an apply would run next, from the history's status (one pass over the entries). */
    public static PendingResponse of(StatusReport report) {
        Map<MigrationState, List<MigrationView>> byState = new EnumMap<>(MigrationState.class);
        for (MigrationStatus status : report.migrations()) {
            if (status.state() != MigrationState.APPLIED) {
                byState.computeIfAbsent(status.state(), k -> new ArrayList<>()).add(MigrationView.of(status));
            }
        }
        List<MigrationView> pending = in(byState, MigrationState.PENDING);
        return new PendingResponse(pending.size(), pending.stream().mapToInt(MigrationView::statements).sum(), pending,
                in(byState, MigrationState.OUT_OF_ORDER), in(byState, MigrationState.CHANGED), in(byState, MigrationState.MOVED),
                in(byState, MigrationState.AMBIGUOUS), in(byState, MigrationState.INTERRUPTED), HistoryResponse.warnings(report));
    }

    private static List<MigrationView> in(Map<MigrationState, List<MigrationView>> byState, MigrationState state) {
        return List.copyOf(byState.getOrDefault(state, List.of()));
    }
}
