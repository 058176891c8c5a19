package dev.mellon.migrator.engine.generate;

import dev.mellon.migrator.engine.schema.Canonicalizer;
import dev.mellon.migrator.engine.schema.GenerateRefusedException;
import dev.mellon.migrator.engine.schema.MigrationVerifier;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaPlan;
import dev.mellon.migrator.engine.schema.SchemaSource;
import dev.mellon.migrator.engine.schema.Verification;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.ddl.Statement;
import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.diff.Rename;
import dev.mellon.migrator.folder.FolderException;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.FolderWriter;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.SnapshotFile;
import dev.mellon.migrator.folder.TagStyle;
import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.Snapshot;
import dev.mellon.migrator.schema.Format9Snapshots;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.schema.Table;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code drizzle-kit generate} as a use case: the next migration of a folder from a desired schema, written as
 * drizzle-kit writes it (SQL file, snapshot chained by {@code prevId}, journal entry with a {@code when} after every
 * earlier one). Two snapshots with one parent (two branches merged) are refused, as drizzle-kit check refuses them.
 */
public final class Generator {

    public static final String CUSTOM_SQL = "-- Custom SQL migration file, put your code below! --";
    /** drizzle-orm runs a migration in its batch transaction; this first statement leaves it for concurrent builds. */
    public static final String LEAVE_TRANSACTION = "COMMIT;";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final FolderReader reader;
    private final SnapshotCodec codec;
    private final SchemaComparer comparer;
    private final Canonicalizer canonicalizer;
    private final MigrationVerifier verifier;
    private final boolean writable;
    private final Clock clock;

    /** @param verifier proves every new migration on a replay of the folder before anything is written or returned */
    public Generator(Path folder, FolderReader reader, SnapshotCodec codec, SchemaComparer comparer, Canonicalizer canonicalizer,
                     MigrationVerifier verifier, boolean writable, Clock clock) {
        this.folder = folder;
        this.reader = reader;
        this.codec = codec;
        this.comparer = comparer;
        this.canonicalizer = canonicalizer;
        this.verifier = verifier;
        this.writable = writable;
        this.clock = clock;
    }

    /**
     * @param snapshot a Drizzle v7 snapshot document of the desired schema, or
     * @param sql      DDL of the desired schema (exactly one of the two, unless {@code custom})
     * @param name     the tag's name part, or {@code null} for a random one
     * @param verify   prove the new migration on a replay of the folder first (off: it is returned unproven, and says so)
     */
    public record Request(String snapshot, String sql, String name, List<Rename> renames, boolean online, boolean custom,
                          boolean dryRun, boolean writeDown, boolean verify) {
        public Request {
            renames = renames == null ? List.of() : List.copyOf(renames);
        }

        public Request(String snapshot, String sql, String name, List<Rename> renames, boolean online, boolean custom,
                       boolean dryRun) {
            this(snapshot, sql, name, renames, online, custom, dryRun, false, true);
        }
    }

    /** One new journal entry with its files. */
    public record Entry(int idx, String tag, long when, String id, String prevId, List<Statement> statements,
                        FolderWriter.NewMigration files) {
    }

    /**
     * {@code entries} is empty when nothing differs; {@code written} says whether the files are in the folder now;
     * {@code verification} what proving them found ({@code null} when there was nothing to prove).
     */
    public record Result(SchemaPlan plan, List<Entry> entries, boolean written, List<String> warnings,
                         Verification verification) {
    }

    public Result generate(Request request) {
        if (request.name() != null && !TagStyle.validName(request.name())) {
            throw new GenerateRefusedException(GenerateRefusedException.Reason.INVALID_REQUEST,
                    "name may hold letters, digits, _ and - only (1 to 100 characters)");
        }
        // The desired schema is resolved outside the folder lock: a sandbox for SQL input takes a while.
        SchemaSource desired = request.custom() ? null : desired(request);
        if (FolderReader.format(folder) == dev.mellon.migrator.folder.FolderFormat.DIRECTORIES) {
            Map<String, com.fasterxml.jackson.databind.node.ObjectNode> rows = request.custom() || request.snapshot() == null
                    || !Format9Snapshots.isFormat9(request.snapshot()) ? null : Format9Snapshots.rowsOfState(request.snapshot(), "snapshot");
            DirectoryGenerator directories = new DirectoryGenerator(folder, reader, comparer, verifier, writable, clock);
            return FolderWriter.exclusive(folder, () -> directories.generate(request, desired, rows));
        }
        return FolderWriter.exclusive(folder, () -> generateLocked(request, desired));
    }

    private Result generateLocked(Request request, SchemaSource desired) {
        byte[] journal = FolderWriter.readJournal(folder);
        List<JournalEntry> entries = journalEntries(journal);
        Parent parent = parent();
        SchemaSource current = SchemaSource.snapshot("migrations", parent.model());
        List<String> warnings = new ArrayList<>();
        SchemaModel desiredModel;
        SchemaPlan plan;
        if (request.custom()) {
            desiredModel = parent.model();
            plan = new SchemaPlan("snapshot", List.of(), List.of(), List.of(), List.of(), List.of());
        } else {
            desiredModel = desired.model();
            plan = comparer.plan(current, desired, request.renames(), style(request));
            warnings.addAll(plan.warnings());
            if (plan.isEmpty()) {
                return new Result(plan, List.of(), false, warnings, null);
            }
        }
        List<String> entryWarnings = new ArrayList<>();
        List<Entry> out = entries(request, plan, parent, desiredModel, current, journal, entries, entryWarnings);
        Verification verification;
        try {
            verification = verify(request, parent.model(), desiredModel, out);
        } catch (UnprovenMigrationException unproven) {
            // Where the history's SQL disagrees with the parent snapshot, the step is written again against what it made.
            HistoryReconciliation reconciliation = reconciliation(request, parent.model(), desiredModel, plan)
                    .orElseThrow(() -> unproven);
            plan = SchemaComparer.planOf(reconciliation.changes(), style(request), plan.comparison(), plan.renameCandidates(),
                    plan.warnings());
            entryWarnings.clear();
            out = entries(request, plan, parent, desiredModel, current, journal, entries, entryWarnings);
            verification = verify(request, parent.model(), desiredModel, out);
            warnings.add(reconciliation.warning());
        }
        warnings.addAll(entryWarnings);
        boolean written = false;
        if (!request.dryRun() && writable) {
            FolderWriter writer = new FolderWriter();
            byte[] expected = journal;
            for (Entry e : out) {
                writer.write(folder, e.files(), expected);
                expected = e.files().journal().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            written = true;
        } else if (!request.dryRun()) {
            warnings.add("The migration folder is read-only here (migrator.generate.write=false): the files are in the "
                    + "response for you to commit");
        }
        return new Result(plan, out, written, warnings, verification);
    }

    /** The new journal entries for {@code plan}: one, or two when concurrent index builds need their own. */
    private List<Entry> entries(Request request, SchemaPlan plan, Parent parent, SchemaModel desiredModel, SchemaSource current,
                                byte[] journal, List<JournalEntry> entries, List<String> entryWarnings) {
        TagStyle style = TagStyle.of(entries.stream().map(JournalEntry::tag).toList());
        List<String> taken = new ArrayList<>(entries.stream().map(JournalEntry::tag).toList());
        Instant now = clock.instant();
        long lastWhen = entries.stream().mapToLong(JournalEntry::when).max().orElse(0);
        int nextIdx = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).idx() + 1;

        List<Statement> transactional = new ArrayList<>();
        List<Statement> concurrent = new ArrayList<>();
        for (Statement s : plan.statements()) {
            (s.transactional() ? transactional : concurrent).add(s);
        }
        List<Entry> out = new ArrayList<>();
        byte[] journalText = journal;
        String prevId = parent.id();
        long when = Math.max(now.toEpochMilli(), lastWhen + 1);
        if (request.custom() || !transactional.isEmpty() || concurrent.isEmpty()) {
            SchemaModel model = concurrent.isEmpty() ? desiredModel : withoutIndexes(desiredModel, concurrent);
            String sql = request.custom() ? CUSTOM_SQL : MigrationWriter.join(transactional);
            Entry entry = entry(style, nextIdx, now, when, request.name(), prevId, model, transactional, sql, journalText, taken);
            out.add(entry);
            journalText = entry.files().journal().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            prevId = entry.id();
            nextIdx++;
            when++;
            now = now.plusSeconds(style == TagStyle.INDEX ? 0 : 1);
        }
        if (!request.custom() && !concurrent.isEmpty()) {
            // Concurrent builds cannot run in drizzle-orm's batch transaction: their own migration leaves it first.
            List<String> sql = new ArrayList<>();
            sql.add(LEAVE_TRANSACTION);
            concurrent.forEach(s -> sql.add(s.sql()));
            String name = request.name() == null ? null : request.name() + "_concurrent_indexes";
            out.add(entry(style, nextIdx, now, when, name, prevId, desiredModel, concurrent,
                    String.join(MigrationWriter.BREAKPOINT, sql), journalText, taken));
            entryWarnings.add("The concurrent index builds are in a migration of their own that starts with COMMIT; to leave "
                    + "drizzle-orm's batch transaction; later migrations of the same drizzle-orm run then run in autocommit");
        }
        if (request.writeDown()) {
            if (request.custom() || out.size() != 1) {
                entryWarnings.add("No down file was written: " + (request.custom()
                        ? "a custom migration's down cannot be derived; write " + out.get(0).tag() + ".down.sql by hand"
                        : "an online plan writes two entries; their downs are computed from the snapshots at rollback"));
            } else {
                Entry only = out.get(0);
                SchemaPlan down = comparer.plan(SchemaSource.snapshot(only.tag(), desiredModel), current,
                        request.renames().stream().map(r -> new Rename(r.kind(), r.to(), r.from())).toList(),
                        SchemaComparer.Style.SINGLE_TRANSACTION);
                out.set(0, new Entry(only.idx(), only.tag(), only.when(), only.id(), only.prevId(), only.statements(),
                        only.files().withDown(only.tag() + FolderReader.DOWN_SUFFIX, MigrationWriter.join(down.statements()))));
            }
        }
        return out;
    }

    /**
     * The new entries applied to a replay of the folder, as apply would run them, and compared with the desired
     * schema; a migration PostgreSQL refuses, or one that falls short, is never handed out.
     */
    private Verification verify(Request request, SchemaModel parent, SchemaModel desired, List<Entry> entries) {
        if (request.custom()) {
            return new Verification.NotVerified("a custom migration's SQL is written by hand", 0);
        }
        if (!request.verify()) {
            return new Verification.NotVerified("verification was turned off for this request", 0);
        }
        List<Migration> added = entries.stream().map(e -> FolderReader.migration(e.idx(), e.tag(), e.when(), e.files().sql())).toList();
        Verification verification = verifier.verify(history(), parent, added, desired);
        if (verification instanceof Verification.Failed || verification instanceof Verification.Incomplete) {
            throw new UnprovenMigrationException(verification, entries.stream()
                    .flatMap(e -> e.statements().stream().map(Statement::sql)).toList());
        }
        return verification;
    }

    private List<Migration> history() {
        return java.nio.file.Files.exists(folder.resolve(FolderReader.JOURNAL)) ? reader.read(folder).migrations() : List.of();
    }

    /**
     * The plan written again where the history's SQL disagrees with the parent snapshot (a hand edit, or a snapshot
     * drizzle-kit wrote without an object): the objects the step touches are taken from what the history made, so
     * that the migration runs on a database that ran the history; everything else is left as the snapshot says.
     */
    private java.util.Optional<HistoryReconciliation> reconciliation(Request request, SchemaModel parent, SchemaModel desired,
                                                                     SchemaPlan plan) {
        if (request.custom() || !request.verify()) {
            return java.util.Optional.empty();
        }
        return verifier.historyState(history(), parent, desired).map(state -> HistoryReconciliation.of(plan.changes(), state));
    }

    private static SchemaComparer.Style style(Request request) {
        return request.online() ? SchemaComparer.Style.ONLINE : SchemaComparer.Style.DRIZZLE;
    }

    private Entry entry(TagStyle style, int idx, Instant now, long when, String name, String prevId, SchemaModel model,
                        List<Statement> statements, String sql, byte[] journal, List<String> taken) {
        String tag = style.freeTag(idx, now, name, taken);
        taken.add(tag);
        String id = UUID.randomUUID().toString();
        String snapshotFile = FolderReader.snapshotName(tag);
        String snapshot = codec.write(new Snapshot(id, prevId, "7", "postgresql", model, Map.of()));
        String journalText = FolderWriter.appendEntry(journal, idx, when, tag);
        return new Entry(idx, tag, when, id, prevId, statements,
                new FolderWriter.NewMigration(tag, tag + ".sql", sql, snapshotFile, snapshot, journalText));
    }

    /** The desired model with the indexes of {@code statements} left out: the state after the first migration. */
    private static SchemaModel withoutIndexes(SchemaModel model, List<Statement> statements) {
        Map<String, Table> tables = new LinkedHashMap<>(model.tables());
        for (Statement s : statements) {
            if (s.change() instanceof Change.CreateIndex ci) {
                Table t = tables.get(ci.table().key());
                if (t != null) {
                    Map<String, Index> indexes = new LinkedHashMap<>(t.indexes());
                    indexes.remove(ci.index().name());
                    tables.put(ci.table().key(), new Table(t.name(), t.schema(), t.columns(), indexes, t.foreignKeys(),
                            t.compositePrimaryKeys(), t.uniqueConstraints(), t.policies(), t.checkConstraints(), t.isRLSEnabled()));
                }
            }
        }
        return new SchemaModel(tables, model.enums(), model.schemas(), model.sequences(), model.roles(), model.policies(),
                model.views());
    }

    private SchemaSource desired(Request request) {
        boolean hasSnapshot = request.snapshot() != null;
        boolean hasSql = request.sql() != null;
        if (hasSnapshot == hasSql) {
            throw new GenerateRefusedException(GenerateRefusedException.Reason.INVALID_REQUEST,
                    "Send exactly one of snapshot (a Drizzle v7 snapshot) and sql (DDL of the desired schema)");
        }
        if (hasSnapshot && Format9Snapshots.isFormat9(request.snapshot())) {
            // drizzle-kit 1.0's generateDrizzleJson: a format 9 state.
            return SchemaSource.snapshot("snapshot", Format9Snapshots.model(
                    Format9Snapshots.rowsOfState(request.snapshot(), "snapshot").values(), "snapshot"));
        }
        if (hasSnapshot) {
            return SchemaSource.snapshot("snapshot", codec.read(request.snapshot(), "snapshot").schema());
        }
        return SchemaSource.postgres("sql", canonicalizer.fromSql(request.sql()));
    }

    /** The parent of the new migration: drizzle-kit takes the lexicographically last snapshot file. */
    private record Parent(String id, SchemaModel model) {
    }

    private Parent parent() {
        List<SnapshotFile> files = reader.snapshots(folder);
        Map<String, String> childOf = new HashMap<>();
        for (SnapshotFile f : files) {
            String prev = prevId(f);
            String other = childOf.putIfAbsent(prev, f.fileName());
            if (other != null && !prev.isEmpty()) {
                throw new SnapshotConflictException(other, f.fileName(), prev);
            }
        }
        if (files.isEmpty()) {
            return new Parent(Snapshot.ROOT_ID, SchemaModel.empty());
        }
        SnapshotFile last = files.get(files.size() - 1);
        Snapshot snapshot = codec.read(last.text(), "meta/" + last.fileName());
        return new Parent(snapshot.id(), snapshot.schema());
    }

    /**
     * A snapshot's {@code prevId}, read with a streaming parser that stops at it: drizzle-kit writes it second, so a
     * history of hundreds of large snapshots is checked for conflicts without parsing them.
     */
    private static String prevId(SnapshotFile f) {
        try (com.fasterxml.jackson.core.JsonParser parser = JSON.getFactory().createParser(f.text())) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("prevId")) {
                    return parser.getValueAsString("");
                }
                parser.skipChildren();
            }
            return "";
        } catch (IOException e) {
            throw new dev.mellon.migrator.schema.SnapshotException("meta/" + f.fileName(), "", "not valid JSON"
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() : "")
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j2 ? ": " + j2.getOriginalMessage() : ""));
        }
    }

    private record JournalEntry(int idx, String tag, long when) {
    }

    private static List<JournalEntry> journalEntries(byte[] journal) {
        List<JournalEntry> out = new ArrayList<>();
        if (journal == null) {
            return out;
        }
        try {
            JsonNode entries = JSON.readTree(journal).path("entries");
            for (int i = 0; i < entries.size(); i++) {
                JsonNode e = entries.get(i);
                out.add(new JournalEntry(e.path("idx").asInt(i), e.path("tag").asText(), e.path("when").asLong()));
            }
        } catch (IOException e) {
            throw new FolderException(FolderException.Kind.JOURNAL_INVALID, FolderReader.JOURNAL, null,
                    "meta/_journal.json is not valid JSON: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Rebase moves journal entries; a drizzle-kit 1.0 folder keeps branches as they are and merges them with the next
     * generate, so there is nothing to rebase, and writing a journal into it would break its layout.
     */
    static void refuseDirectories(Path folder) {
        if (FolderReader.format(folder) == dev.mellon.migrator.folder.FolderFormat.DIRECTORIES) {
            throw new GenerateRefusedException(GenerateRefusedException.Reason.FORMAT, "The folder is in drizzle-kit 1.0's"
                    + " layout (one directory per migration), which keeps branches and merges them with the next generate:"
                    + " rebase is for journal folders. Generate here (or with drizzle-kit 1.0) writes the merge migration");
        }
    }

    public boolean writable() {
        return writable;
    }
}
