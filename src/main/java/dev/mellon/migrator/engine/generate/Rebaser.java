package dev.mellon.migrator.engine.generate;

import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.StatusReport;
import dev.mellon.migrator.engine.schema.MigrationVerifier;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaPlan;
import dev.mellon.migrator.engine.schema.SchemaSource;
import dev.mellon.migrator.engine.schema.Verification;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.FolderWriter;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.folder.SnapshotFile;
import dev.mellon.migrator.folder.TagStyle;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.Snapshot;
import dev.mellon.migrator.schema.SnapshotCodec;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Settles a merge conflict of two branches (two snapshots with one parent): the named entry is moved after
 * the other branch's last snapshot. Its schema change is carried over with a three-way merge of the snapshots
 * (what it changed from the common parent, applied to the new parent), its SQL is generated again against the new
 * parent, and it gets a new tag, idx, {@code when} and {@code prevId}. Atlas sells this as {@code migrate rebase}.
 */
public final class Rebaser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.time.Duration REBASE_LOCK_WAIT = java.time.Duration.ofSeconds(30);

    private final Migrator migrator;
    private final FolderReader reader;
    private final SnapshotCodec codec;
    private final SchemaComparer comparer;
    private final MigrationVerifier verifier;
    private final boolean writable;
    private final Clock clock;

    /** @param verifier proves the moved entry's new SQL on a replay of the history it now follows, before writing */
    public Rebaser(Migrator migrator, FolderReader reader, SnapshotCodec codec, SchemaComparer comparer, MigrationVerifier verifier,
                   boolean writable, Clock clock) {
        this.migrator = migrator;
        this.reader = reader;
        this.codec = codec;
        this.comparer = comparer;
        this.verifier = verifier;
        this.writable = writable;
        this.clock = clock;
    }

    /** The moved entry, its plan against the new parent, whether the folder was written, and the entry's proof. */
    public record Result(String oldTag, Generator.Entry entry, SchemaPlan plan, boolean written, List<String> warnings,
                         Verification verification) {
    }

    private record Parsed(SnapshotFile file, String id, String prevId, JsonNode json) {
    }

    public Result rebase(String tag, boolean dryRun) {
        // Under the apply lock too: no apply can run the entry between the "not applied" check and the move.
        return migrator.withLock(REBASE_LOCK_WAIT,
                session -> FolderWriter.exclusive(migrator.folderPath(), () -> rebaseLocked(tag, dryRun)));
    }

    private Result rebaseLocked(String tag, boolean dryRun) {
        Generator.refuseDirectories(migrator.folderPath());
        MigrationFolder folder = migrator.folder();
        Migration moved = folder.find(tag).orElseThrow(() -> new UnknownMigrationException(tag, null));
        refuseIfApplied(folder, tag);
        List<Parsed> snapshots = parse(reader.snapshots(folder.path()));
        String ownFile = FolderReader.snapshotName(tag);
        Parsed own = snapshots.stream().filter(p -> p.file().fileName().equals(ownFile)).findFirst()
                .orElseThrow(() -> new RebaseRefusedException("\"" + tag + "\" has no snapshot (meta/" + ownFile
                        + "): there is no schema to carry over"));
        if (snapshots.stream().noneMatch(p -> p != own && p.prevId().equals(own.prevId()))) {
            throw new RebaseRefusedException("\"" + tag + "\" shares its parent with no other snapshot: there is nothing to rebase");
        }
        if (snapshots.stream().anyMatch(p -> p.prevId().equals(own.id()))) {
            throw new RebaseRefusedException("Other snapshots follow \"" + tag + "\"; rebase only the last entry of a branch");
        }
        Parsed base = snapshots.stream().filter(p -> p.id().equals(own.prevId())).findFirst().orElse(null);
        List<Parsed> others = snapshots.stream().filter(p -> p != own).toList();
        Parsed parent = others.get(others.size() - 1);

        SnapshotMerge.Result merge = SnapshotMerge.merge(body(base), body(own), body(parent));
        if (!merge.conflicts().isEmpty()) {
            throw new RebaseRefusedException("\"" + tag + "\" and the other branch change the same parts of the schema: "
                    + String.join(", ", merge.conflicts()) + ". Generate it again from the merged schema instead");
        }
        refuseIfHandWritten(moved, base, own);
        SchemaModel parentModel = codec.read(parent.file().text(), "meta/" + parent.file().fileName()).schema();
        SchemaModel mergedModel = codec.read(withIds(merge.merged(), parent.id()), "meta/" + ownFile).schema();
        SchemaPlan plan = comparer.plan(SchemaSource.snapshot("parent", parentModel), SchemaSource.snapshot("rebased", mergedModel),
                List.of(), SchemaComparer.Style.DRIZZLE);

        byte[] journal = FolderWriter.readJournal(folder.path());
        List<Migration> rest = folder.migrations().stream().filter(m -> !m.tag().equals(tag)).toList();
        TagStyle style = TagStyle.of(rest.stream().map(Migration::tag).toList());
        Instant now = clock.instant();
        long when = Math.max(now.toEpochMilli(), folder.migrations().stream().mapToLong(Migration::when).max().orElse(0) + 1);
        int idx = folder.migrations().stream().mapToInt(Migration::idx).max().orElse(-1) + 1;
        String name = tag.contains("_") ? tag.substring(tag.indexOf('_') + 1) : tag;
        String newTag = style.freeTag(idx, now, name, folder.migrations().stream().map(Migration::tag).toList());
        String id = UUID.randomUUID().toString();
        String snapshot = codec.write(new Snapshot(id, parent.id(), "7", "postgresql", mergedModel, Map.of()));
        String sql = MigrationWriter.join(plan.statements());
        FolderWriter.NewMigration files = new FolderWriter.NewMigration(newTag, newTag + ".sql", sql,
                FolderReader.snapshotName(newTag), snapshot, FolderWriter.moveEntry(journal, tag, idx, when, newTag));
        Generator.Entry entry = new Generator.Entry(idx, newTag, when, id, parent.id(), plan.statements(), files);
        List<String> warnings = new ArrayList<>();
        if (plan.isEmpty()) {
            warnings.add("\"" + tag + "\" adds nothing the other branch does not already have: its new file is empty");
        }
        Verification verification = verifier.verify(rest, parentModel, List.of(FolderReader.migration(idx, newTag, when, sql)),
                mergedModel);
        if (verification instanceof Verification.Failed || verification instanceof Verification.Incomplete) {
            throw new UnprovenMigrationException(verification, plan.sql());
        }
        boolean written = false;
        if (!dryRun && writable) {
            List<String> obsolete = new ArrayList<>();
            if (!moved.fileName().equals(files.sqlFile())) {
                obsolete.add(moved.fileName());
            }
            if (!ownFile.equals(files.snapshotFile())) {
                obsolete.add("meta/" + ownFile);
            }
            new FolderWriter().write(folder.path(), files, journal, obsolete);
            written = true;
        } else if (!dryRun) {
            warnings.add("The migration folder is read-only here (migrator.generate.write=false): the files are in the "
                    + "response for you to commit, and " + moved.fileName() + " and meta/" + ownFile + " are to be deleted");
        }
        return new Result(tag, entry, plan, written, warnings, verification);
    }

    /**
     * Rebase writes the entry's SQL again from its snapshots; SQL that is not what its snapshots give (a custom
     * migration, a generated one edited by hand) would be lost, so it is refused.
     */
    private void refuseIfHandWritten(Migration moved, Parsed base, Parsed own) {
        SchemaModel before = base == null ? SchemaModel.empty() : codec.read(base.file().text(), "meta/" + base.file().fileName()).schema();
        SchemaModel after = codec.read(own.file().text(), "meta/" + own.file().fileName()).schema();
        String generated = MigrationWriter.join(comparer.plan(SchemaSource.snapshot("base", before), SchemaSource.snapshot("own", after),
                List.of(), SchemaComparer.Style.DRIZZLE).statements());
        String file = String.join(FolderReader.BREAKPOINT, moved.statements());
        if (!file.equals(generated)) {
            throw new RebaseRefusedException("\"" + moved.tag() + "\" holds SQL its snapshots do not give (a custom or edited "
                    + "migration); rebasing would lose it. Move it by hand, or generate it again from the merged schema");
        }
    }

    /** An entry that a database the service can see has run cannot be moved: its SQL would run twice there. */
    private void refuseIfApplied(MigrationFolder folder, String tag) {
        StatusReport status = migrator.status(folder);
        for (MigrationStatus s : status.migrations()) {
            // MOVED: its bytes ran here under another created_at; AMBIGUOUS: it may have run.
            if (s.tag().equals(tag) && s.state() != MigrationState.PENDING && s.state() != MigrationState.OUT_OF_ORDER) {
                throw new RebaseRefusedException("\"" + tag + "\" is applied (or its SQL ran) on this database (" + migrator.trackingTable().qualifiedName()
                        + "); it cannot be moved. Generate a new migration on top instead");
            }
        }
    }

    private static List<Parsed> parse(List<SnapshotFile> files) {
        List<Parsed> out = new ArrayList<>();
        for (SnapshotFile f : files) {
            try {
                JsonNode json = JSON.readTree(f.text());
                out.add(new Parsed(f, json.path("id").asText(""), json.path("prevId").asText(""), json));
            } catch (IOException e) {
                throw new dev.mellon.migrator.schema.SnapshotException("meta/" + f.fileName(), "", "not valid JSON"
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() : "")
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j2 ? ": " + j2.getOriginalMessage() : ""));
            }
        }
        return out;
    }

    /** The schema part of a snapshot: everything but its place in the chain. */
    private static JsonNode body(Parsed p) {
        if (p == null) {
            try {
                return JSON.readTree(new SnapshotCodec().write(new Snapshot(Snapshot.ROOT_ID, Snapshot.ROOT_ID, "7", "postgresql",
                        SchemaModel.empty(), Map.of())));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        ObjectNode copy = p.json().deepCopy();
        copy.remove("id");
        copy.remove("prevId");
        return copy;
    }

    private static String withIds(JsonNode merged, String prevId) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", UUID.randomUUID().toString());
        out.put("prevId", prevId);
        merged.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
        return out.toString();
    }
}
