package dev.mellon.migrator.api;

import dev.mellon.migrator.engine.CheckFinding;
import dev.mellon.migrator.engine.InvalidIndexes;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;

/** The folder check: {@code ok} when nothing is an error. */
@Schema(name = "CheckReport")
public record CheckResponse(boolean ok, int errors, int warnings, List<CheckFinding> findings,
                            @Schema(description = "With database=true only: the target database's INVALID indexes "
                                    + "(pg_index.indisvalid = false), each with the migration whose SQL creates an index "
                                    + "of that name (null when none does); each is also a finding (invalid-index, error; "
                                    + "index-being-built, warning, while a concurrent build of it runs)")
                            List<InvalidIndexes.InvalidIndex> invalidIndexes) {

    /** Checks the folder (no database needed). */
    public static CheckResponse check(java.nio.file.Path folder) {
        return of(new dev.mellon.migrator.engine.FolderCheck(new dev.mellon.migrator.folder.FolderReader(),
                new dev.mellon.migrator.schema.SnapshotCodec()).check(folder));
    }

    public static CheckResponse of(List<CheckFinding> findings) {
        return of(findings, null);
    }

    /** {@code invalidIndexes} is {@code null} when the database was not asked. */
    public static CheckResponse of(List<CheckFinding> folderFindings, List<InvalidIndexes.InvalidIndex> invalidIndexes) {
        List<CheckFinding> findings = new ArrayList<>(folderFindings);
        if (invalidIndexes != null) {
            findings.addAll(InvalidIndexes.findings(invalidIndexes));
        }
        int errors = (int) findings.stream().filter(f -> f.severity().equals("error")).count();
        int warnings = (int) findings.stream().filter(f -> f.severity().equals("warning")).count();
        return new CheckResponse(errors == 0, errors, warnings, findings, invalidIndexes);
    }
}
