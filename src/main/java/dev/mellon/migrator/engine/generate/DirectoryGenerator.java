package dev.mellon.migrator.engine.generate;

import dev.mellon.migrator.engine.schema.GenerateRefusedException;
import dev.mellon.migrator.engine.schema.MigrationVerifier;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaPlan;
import dev.mellon.migrator.engine.schema.SchemaSource;
import dev.mellon.migrator.engine.schema.Verification;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.ddl.Statement;
import dev.mellon.migrator.diff.Rename;
import dev.mellon.migrator.folder.FolderFormat;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.FolderWriter;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.folder.SnapshotFile;
import dev.mellon.migrator.schema.Format9Deltas;
import dev.mellon.migrator.schema.Format9Rows;
import dev.mellon.migrator.schema.Format9Snapshots;
import dev.mellon.migrator.schema.Format9Writer;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.Snapshot;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Generate for a drizzle-kit 1.0 folder: the schema the folder's format 9 snapshots fold to (the combined state of
 * every branch, as drizzle-kit bases a merge on it) against the desired one, the SQL proven on a replay of the folder
 * as for a journal folder, written as a new {@code <YYYYMMDDHHMMSS>_<name>/} with {@code migration.sql} and a format 9
 * diff snapshot ({@code deltas} from the parents' rows to the desired rows, {@code prevIds} naming every branch).
 * A desired schema given as drizzle-kit 1.0's own state ({@code generateDrizzleJson}) keeps its rows exactly, so the
 * deltas are the ones drizzle-kit computes; one given as a format 7 snapshot or DDL is turned into rows first.
 */
final class DirectoryGenerator {

    private final Path folder;
    private final FolderReader reader;
    private final SchemaComparer comparer;
    private final MigrationVerifier verifier;
    private final boolean writable;
    private final Clock clock;

    DirectoryGenerator(Path folder, FolderReader reader, SchemaComparer comparer, MigrationVerifier verifier, boolean writable,
                       Clock clock) {
        this.folder = folder;
        this.reader = reader;
        this.comparer = comparer;
        this.verifier = verifier;
        this.writable = writable;
        this.clock = clock;
    }

    /** The parents of the next migration: every branch's last snapshot, and the rows they combine into. */
    private record Parents(List<String> ids, List<String> directories, Map<String, ObjectNode> rows, SchemaModel model) {
    }

    /**
     * @param desired     the desired schema ({@code null} for a custom migration)
     * @param desiredRows its format 9 rows when the caller sent drizzle-kit 1.0's state, else {@code null}
     */
    Generator.Result generate(Generator.Request request, SchemaSource desired, Map<String, ObjectNode> desiredRows) {
        if (request.online()) {
            throw new GenerateRefusedException(GenerateRefusedException.Reason.FORMAT, "An online plan writes a migration of"
                    + " its own for concurrent index builds that leaves drizzle-orm's transaction; drizzle-orm 1.0 runs a"
                    + " folder's pending migrations in one transaction, so online plans are for journal folders only");
        }
        Set<String> directoriesAsRead = FolderWriter.directories(folder);
        MigrationFolder history = reader.read(folder);
        Parents parents = parents(history);
        SchemaModel desiredModel = request.custom() ? parents.model() : desired.model();
        SchemaPlan plan = request.custom() ? new SchemaPlan("snapshot", List.of(), List.of(), List.of(), List.of(), List.of())
                : comparer.plan(SchemaSource.snapshot("migrations", parents.model()), desired, request.renames(),
                SchemaComparer.Style.DRIZZLE);
        List<String> warnings = new ArrayList<>(plan.warnings());
        if (!request.custom() && plan.isEmpty()) {
            return new Generator.Result(plan, List.of(), false, warnings, null);
        }
        String tag = FolderFormat.newDirectory(clock.millis(), parents.directories(), request.name());
        while (directoriesAsRead.contains(tag)) {
            tag = FolderFormat.newDirectory(clock.millis(), List.of(tag), request.name());
        }
        String sql = request.custom() ? Generator.CUSTOM_SQL : MigrationWriter.join(plan.statements());
        long when = dev.mellon.migrator.folder.FolderReader.createdAtOf(tag);
        Map<String, ObjectNode> rows = request.custom() ? parents.rows()
                : desiredRows != null ? desiredRows : Format9Rows.of(desiredModel);
        String id = UUID.randomUUID().toString();
        String snapshot = parents.ids().isEmpty() ? Format9Writer.base(id, rows.values())
                : Format9Writer.diff(id, parents.ids(), Format9Deltas.between(parents.rows(), rows));
        FolderWriter.NewMigration files = new FolderWriter.NewMigration(tag, FolderFormat.DIRECTORIES.sqlFile(tag), sql,
                FolderFormat.DIRECTORIES.snapshotFile(tag), snapshot, null);
        if (request.writeDown() && !request.custom()) {
            SchemaPlan down = comparer.plan(SchemaSource.snapshot(tag, desiredModel), SchemaSource.snapshot("parent", parents.model()),
                    request.renames().stream().map(r -> new Rename(r.kind(), r.to(), r.from())).toList(),
                    SchemaComparer.Style.SINGLE_TRANSACTION);
            files = files.withDown(FolderFormat.DIRECTORIES.downFile(tag), MigrationWriter.join(down.statements()));
        }
        Verification verification = request.custom()
                ? new Verification.NotVerified("a custom migration's SQL is written by hand", 0)
                : !request.verify() ? new Verification.NotVerified("verification was turned off for this request", 0)
                : verifier.verify(history.migrations(), parents.model(),
                List.of(FolderReader.migration(history.migrations().size(), tag, when, sql, FolderFormat.DIRECTORIES)), desiredModel);
        if (verification instanceof Verification.Failed || verification instanceof Verification.Incomplete) {
            throw new UnprovenMigrationException(verification, plan.statements().stream().map(Statement::sql).toList());
        }
        Generator.Entry entry = new Generator.Entry(history.migrations().size(), tag, when, id,
                parents.ids().isEmpty() ? Snapshot.ROOT_ID : parents.ids().get(0), plan.statements(), files);
        boolean written = false;
        if (!request.dryRun() && writable) {
            new FolderWriter().writeDirectory(folder, files, directoriesAsRead);
            written = true;
        } else if (!request.dryRun()) {
            warnings.add("The migration folder is read-only here (migrator.generate.write=false): the files are in the "
                    + "response for you to commit");
        }
        warnings.add("The snapshot's footprints are empty: drizzle-kit 1.0's branch-conflict check does not see what this"
                + " migration touches");
        return new Generator.Result(plan, List.of(entry), written, warnings, verification);
    }

    private Parents parents(MigrationFolder history) {
        List<Format9Snapshots.File> files = new ArrayList<>();
        Map<String, String> directoryOf = new LinkedHashMap<>();
        for (Migration m : history.migrations()) {
            SnapshotFile file = reader.snapshotOf(folder, m).orElse(null);
            if (file == null) {
                continue;
            }
            if (!Format9Snapshots.isFormat9(file.text())) {
                throw new GenerateRefusedException(GenerateRefusedException.Reason.FORMAT, file.path() + " is not in format 9"
                        + " (moved by an upgrade?): run drizzle-kit up (1.0) once to rewrite the snapshots, then generate");
            }
            files.add(new Format9Snapshots.File(file.path(), file.text()));
            directoryOf.put(file.path(), m.tag());
        }
        if (files.isEmpty()) {
            return new Parents(List.of(), List.of(), new LinkedHashMap<>(), SchemaModel.empty());
        }
        Format9Snapshots snapshots = new Format9Snapshots(files);
        List<String> leaves = snapshots.leafIds();
        Map<String, String> directoryOfId = new LinkedHashMap<>();
        snapshots.states().forEach(s -> directoryOfId.put(s.id(), directoryOf.get(s.path())));
        Map<String, ObjectNode> rows = snapshots.combined(leaves, "the folder's snapshots");
        return new Parents(leaves, leaves.stream().map(directoryOfId::get).toList(), rows,
                Format9Snapshots.model(rows.values(), "the folder's snapshots"));
    }
}
