package dev.mellon.migrator.api;

import dev.mellon.migrator.folder.FolderWarning;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** What an apply would run next, in order. Out-of-order entries are listed apart: apply refuses them unless allowed. */
@Schema(name = "Pending")
public record PendingResponse(int count, int statements, List<MigrationView> pending, List<MigrationView> outOfOrder,
                              List<MigrationView> changed, List<FolderWarning> warnings) {
}
