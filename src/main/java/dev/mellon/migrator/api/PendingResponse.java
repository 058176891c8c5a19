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
}
