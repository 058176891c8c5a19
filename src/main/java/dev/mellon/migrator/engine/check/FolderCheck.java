package dev.mellon.migrator.engine.check;

import dev.mellon.migrator.folder.FolderException;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.FolderWarning;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.folder.SnapshotFile;
import dev.mellon.migrator.schema.Snapshot;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.schema.SnapshotException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Folder integrity, like {@code drizzle-kit check} and more: snapshots that do not read, unsupported
 * versions, two snapshots with the same parent (a branch collision), broken {@code prevId} chains, journal entries
 * without a file or snapshot, snapshots no entry owns, orphan SQL files and non-increasing {@code when}.
 */
public final class FolderCheck {

    /** Folder findings that break a tool: drizzle fails on a missing file, PostgreSQL on a BOM, drizzle skips a late when. */
    private static final Set<String> ERRORS = Set.of("sql-file-missing", "sql-file-invalid", "non-increasing-when");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"(\\d+)\"");

    private final FolderReader reader;
    private final SnapshotCodec codec;

    public FolderCheck(FolderReader reader, SnapshotCodec codec) {
        this.reader = reader;
        this.codec = codec;
    }

    public List<CheckFinding> check(Path folderPath) {
        List<CheckFinding> findings = new ArrayList<>();
        MigrationFolder folder;
        try {
            folder = reader.readForCheck(folderPath);
        } catch (FolderException e) {
            findings.add(new CheckFinding("error", "folder-unreadable", e.file(), e.getMessage()));
            return findings;
        }
        for (FolderWarning w : folder.warnings()) {
            String severity = ERRORS.contains(w.code()) ? "error" : "warning";
            findings.add(new CheckFinding(severity, w.code(), w.file(), w.message()));
        }
        if (folder.format() == dev.mellon.migrator.folder.FolderFormat.DIRECTORIES) {
            findings.addAll(DirectorySnapshots.check(folder));
            return findings;
        }
        Map<String, Snapshot> snapshots = new LinkedHashMap<>();
        for (SnapshotFile file : reader.snapshots(folderPath)) {
            String path = "meta/" + file.fileName();
            Matcher version = VERSION.matcher(file.text());
            if (version.find() && !version.group(1).equals("7")) {
                int v = Integer.parseInt(version.group(1));
                findings.add(new CheckFinding("error", "snapshot-version", path, v > 7
                        ? path + " has version " + v + ": unsupported version, update drizzle-kit"
                        : path + " has version " + v + ": not of the latest version, run drizzle-kit up"));
                continue;
            }
            try {
                snapshots.put(path, codec.read(file.text(), path));
            } catch (SnapshotException e) {
                findings.add(new CheckFinding("error", "snapshot-malformed", path, e.getMessage()));
            }
        }
        if (Files.exists(folderPath.resolve("meta/_snapshot.json"))) {
            findings.add(new CheckFinding("error", "snapshot-prefix-none", "meta/_snapshot.json",
                    "meta/_snapshot.json is skipped by drizzle-kit (names starting with _ are not read): prefix mode none is unusable"));
        }
        collisionsAndChains(snapshots, findings);
        Set<String> owned = new HashSet<>();
        for (Migration m : folder.migrations()) {
            owned.add("meta/" + FolderReader.snapshotName(m.tag()));
        }
        // Entries whose SQL file is unusable still own their snapshot.
        folder.warnings().stream().filter(w -> w.code().startsWith("sql-file-"))
                .forEach(w -> owned.add("meta/" + FolderReader.snapshotName(w.file().substring(0, w.file().length() - 4))));
        for (String path : snapshots.keySet()) {
            if (!owned.contains(path)) {
                findings.add(new CheckFinding("warning", "orphan-snapshot", path, path + " belongs to no journal entry"));
            }
        }
        return findings;
    }

    private static void collisionsAndChains(Map<String, Snapshot> snapshots, List<CheckFinding> findings) {
        Map<String, List<String>> children = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        snapshots.forEach((path, s) -> {
            children.computeIfAbsent(s.prevId(), k -> new ArrayList<>()).add(path);
            ids.add(s.id());
        });
        children.forEach((parent, paths) -> {
            if (paths.size() > 1) {
                findings.add(new CheckFinding("error", "snapshot-collision", paths.get(0), paths
                        + " point to the same parent snapshot " + parent + ": a collision (two branches generated from one state)"));
            }
        });
        snapshots.forEach((path, s) -> {
            boolean root = s.prevId().equals(Snapshot.ROOT_ID) || s.prevId().isEmpty();
            if (!root && !ids.contains(s.prevId())) {
                findings.add(new CheckFinding("warning", "broken-prev-id-chain", path,
                        path + " has prevId " + s.prevId() + ", which no snapshot in the folder has as its id"));
            }
        });
    }
}
