package dev.mellon.migrator.api;

import dev.mellon.migrator.engine.CheckFinding;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The folder check: {@code ok} when nothing is an error. */
@Schema(name = "CheckReport")
public record CheckResponse(boolean ok, int errors, int warnings, List<CheckFinding> findings) {

    /** Checks the folder (no database needed). */
    public static CheckResponse check(java.nio.file.Path folder) {
        return of(new dev.mellon.migrator.engine.FolderCheck(new dev.mellon.migrator.folder.FolderReader(),
                new dev.mellon.migrator.schema.SnapshotCodec()).check(folder));
    }

    public static CheckResponse of(List<CheckFinding> findings) {
        int errors = (int) findings.stream().filter(f -> f.severity().equals("error")).count();
        int warnings = (int) findings.stream().filter(f -> f.severity().equals("warning")).count();
        return new CheckResponse(errors == 0, errors, warnings, findings);
    }
}
