package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.folder.SnapshotFile;
import dev.mellon.migrator.schema.Format9Snapshots;
import dev.mellon.migrator.schema.Snapshot;
import dev.mellon.migrator.schema.SnapshotCodec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each migration's snapshot, whatever its format: a journal's format 7 files as they are, and a drizzle-kit 1.0
 * folder's format 9 files folded along their chain and printed as the model's format 7, so that everything that reads
 * snapshots (the schema views, the snapshot audit, computed down migrations) reads both.
 */
public final class MigrationSnapshots {

    private MigrationSnapshots() {
    }

    /** The snapshot of every migration that has one, keyed by tag, in folder order. */
    public static Map<String, SnapshotFile> of(FolderReader reader, SnapshotCodec codec, MigrationFolder folder) {
        Map<String, SnapshotFile> out = new LinkedHashMap<>();
        List<Format9Snapshots.File> format9 = new ArrayList<>();
        Map<String, String> tagOfPath = new LinkedHashMap<>();
        for (Migration m : folder.migrations()) {
            reader.snapshotOf(folder.path(), m).ifPresent(file -> {
                out.put(m.tag(), file);
                if (Format9Snapshots.isFormat9(file.text())) {
                    format9.add(new Format9Snapshots.File(file.path(), file.text()));
                    tagOfPath.put(file.path(), m.tag());
                }
            });
        }
        if (!format9.isEmpty()) {
            Map<String, Snapshot> folded = new Format9Snapshots(format9).fold();
            folded.forEach((path, snapshot) -> {
                String tag = tagOfPath.get(path);
                out.put(tag, out.get(tag).withText(codec.write(new Snapshot(snapshot.id(), snapshot.prevId(), "7", "postgresql",
                        snapshot.schema(), Map.of("columns", Map.of(), "schemas", Map.of(), "tables", Map.of())))));
            });
        }
        return out;
    }
}
