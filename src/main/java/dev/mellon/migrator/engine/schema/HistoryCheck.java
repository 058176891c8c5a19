package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.engine.check.CheckFinding;
import dev.mellon.migrator.engine.check.FolderCheck;
import dev.mellon.migrator.engine.apply.InvalidIndexes;
import dev.mellon.migrator.engine.sandbox.Extension;
import dev.mellon.migrator.engine.sandbox.SandboxBusyException;
import dev.mellon.migrator.engine.sandbox.SandboxUnavailableException;
import dev.mellon.migrator.folder.FolderException;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.schema.SnapshotCodec;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The folder check as a use case: its integrity (like {@code drizzle-kit check} and more), where its snapshots
 * disagree with what its SQL produces, and, when asked, the target's INVALID indexes.
 */
public final class HistoryCheck {

    private final Path folderPath;
    private final FolderReader reader;
    private final SnapshotCodec codec;
    private final SnapshotAudit audit;
    private final Supplier<List<Extension>> targetExtensions;
    private final DataSource target;
    private final Supplier<List<CheckFinding>> trackingFindings;

    /**
     * @param audit            the snapshot audit, or {@code null} where no sandbox is configured
     * @param targetExtensions the target's extensions (given to the audit's sandboxes first)
     * @param target           the target database, for INVALID indexes; {@code null} where there is none
     */
    public HistoryCheck(Path folderPath, FolderReader reader, SnapshotCodec codec, SnapshotAudit audit,
                        Supplier<List<Extension>> targetExtensions, DataSource target) {
        this(folderPath, reader, codec, audit, targetExtensions, target, List::of);
    }

    /** @param trackingFindings what the target's tracking table says about the folder, asked with {@code database} */
    public HistoryCheck(Path folderPath, FolderReader reader, SnapshotCodec codec, SnapshotAudit audit,
                        Supplier<List<Extension>> targetExtensions, DataSource target,
                        Supplier<List<CheckFinding>> trackingFindings) {
        this.trackingFindings = trackingFindings;
        this.folderPath = folderPath;
        this.reader = reader;
        this.codec = codec;
        this.audit = audit;
        this.targetExtensions = targetExtensions;
        this.target = target;
    }

    /**
     * @param snapshots        the audit's answer, or {@code null} when it did not run
     * @param snapshotsSkipped why it did not run, or {@code null}
     * @param invalidIndexes   the target's INVALID indexes, or {@code null} when the database was not asked
     */
    public record Report(List<CheckFinding> findings, SnapshotAudit.Result snapshots, String snapshotsSkipped,
                         List<InvalidIndexes.InvalidIndex> invalidIndexes) {
    }

    public Report check(boolean database, boolean snapshots) {
        List<CheckFinding> findings = new ArrayList<>(new FolderCheck(reader, codec).check(folderPath));
        MigrationFolder folder = null;
        try {
            folder = reader.readForCheck(folderPath);
        } catch (FolderException e) {
            // The folder's own finding says why; the rest is checked without its entries.
        }
        SnapshotAudit.Result result = null;
        String skipped = null;
        if (!snapshots) {
            skipped = "not asked for";
        } else if (audit == null) {
            skipped = "no sandbox is configured here";
        } else if (folder == null) {
            skipped = "the folder cannot be read";
        } else {
            try {
                result = audit.audit(folderPath, folder, extensions());
                findings.addAll(findings(result));
            } catch (SandboxUnavailableException | SandboxBusyException | ReplayFailedException
                     | dev.mellon.migrator.schema.SnapshotException e) {
                skipped = e.getMessage();
                findings.add(new CheckFinding("info", "snapshot-audit-skipped", null,
                        "The snapshots were not compared with what the SQL produces: " + e.getMessage()));
            }
        }
        List<InvalidIndexes.InvalidIndex> invalid = null;
        if (database && target != null) {
            List<Migration> migrations = folder == null ? List.of() : folder.migrations();
            invalid = InvalidIndexes.find(target, migrations);
            findings.addAll(InvalidIndexes.findings(invalid, migrations));
            if (folder != null) {
                findings.addAll(trackingFindings.get());
            }
        }
        return new Report(findings, result, skipped, invalid);
    }

    private List<Extension> extensions() {
        try {
            return targetExtensions.get();
        } catch (RuntimeException e) {
            return List.of(); // no target to ask: the history's own extensions are all it gets
        }
    }

    /** One warning per entry where the snapshot starts to disagree; the last says what generate would get wrong. */
    static List<CheckFinding> findings(SnapshotAudit.Result result) {
        List<CheckFinding> out = new ArrayList<>();
        for (SnapshotAudit.Disagreement d : result.disagreements()) {
            out.add(new CheckFinding("warning", "snapshot-disagrees", d.snapshotFile(), "After \"" + d.tag()
                    + "\" the snapshot disagrees with what the SQL produces: " + describe(d.appeared())));
        }
        if (!result.last().isEmpty()) {
            out.add(new CheckFinding("warning", "generate-would-repeat-disagreements", result.lastSnapshot(),
                    "generate diffs the desired schema against " + result.lastSnapshot() + ", which disagrees with the "
                            + "database the history makes in " + result.last().size() + " place(s): the next generated "
                            + "migration would write SQL for them as if they were schema changes (" + describe(result.last()) + ")"));
        }
        for (String unbuildable : result.unbuildable()) {
            out.add(new CheckFinding("warning", "snapshot-unbuildable", null, unbuildable));
        }
        return out;
    }

    private static String describe(List<Difference> differences) {
        return differences.stream().map(d -> d.objectKind() + " " + d.name() + " " + switch (d.change()) {
            case "missing" -> "is in the snapshot, the SQL does not make it";
            case "unexpected" -> "is made by the SQL, the snapshot lacks it";
            default -> d.attribute() + " differs (snapshot: " + d.expected() + ", SQL: " + d.actual() + ")";
        }).collect(Collectors.joining("; "));
    }
}
