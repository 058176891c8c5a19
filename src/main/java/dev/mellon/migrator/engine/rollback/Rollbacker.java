package dev.mellon.migrator.engine.rollback;

import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.apply.ServerError;
import dev.mellon.migrator.engine.apply.Transactions;
import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.core.TransactionMode;
import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.engine.generate.Generator;
import dev.mellon.migrator.engine.history.HistoryReader;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.StatusReport;
import dev.mellon.migrator.engine.history.TrackingRow;
import dev.mellon.migrator.engine.history.TrackingStore;
import dev.mellon.migrator.engine.schema.MigrationSnapshots;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaPlan;
import dev.mellon.migrator.engine.schema.SchemaSource;
import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.diff.Hazard;
import dev.mellon.migrator.folder.FolderException;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.folder.SnapshotFile;
import dev.mellon.migrator.folder.SqlScanner;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.schema.SnapshotException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Rollback: the down migration of an entry, and running the downs of every applied entry after a
 * target, newest first, in one transaction under the apply lock, deleting their tracking rows in the same transaction.
 *
 * <p>An entry's down is its hand-written {@code <tag>.down.sql} when there is one (drizzle ignores such files), else
 * the reverse diff of its snapshots: from the entry's own snapshot back to the previous entry's (an empty schema for
 * the first entry). A computed down is offered only when the entry's SQL is what its snapshots give (as generate
 * writes it); a custom or hand-edited migration needs a down file.
 */
public final class Rollbacker {

    /** The suffix of a hand-written down file beside {@code <tag>.sql}. */
    public static final String DOWN_SUFFIX = FolderReader.DOWN_SUFFIX;

    /** Entry states a rollback range may not hold: a person must settle them first. */
    private static final Set<MigrationState> UNSETTLED = EnumSet.of(MigrationState.CHANGED, MigrationState.MOVED,
            MigrationState.AMBIGUOUS, MigrationState.INTERRUPTED);

    private static final Pattern LOSES_DATA = Pattern.compile(
            "^(?:DROP\\s+(?:TABLE|SCHEMA)\\b|TRUNCATE\\b|DELETE\\s+FROM\\b|ALTER\\s+TABLE\\b.*\\bDROP\\s+COLUMN\\b)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    public enum Source {
        COMPUTED, FILE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One entry's down migration.
     *
     * @param statements the chunks sent to PostgreSQL, in order
     * @param comparison for a computed down, how the snapshots were compared ({@code snapshot}); {@code null} for a file
     */
    public record Down(String tag, long when, Source source, List<String> statements, List<Hazard> hazards,
                       String comparison, List<String> warnings) {
        public Down {
            statements = List.copyOf(statements);
            hazards = List.copyOf(hazards);
            warnings = List.copyOf(warnings);
        }

        public List<Hazard> dataLoss() {
            return hazards.stream().filter(Hazard::losesData).toList();
        }
    }

    /**
     * @param to the last entry to keep; {@code ""} rolls back every applied entry
     */
    public record Request(String to, boolean acceptDataLoss, boolean dryRun, Duration lockWait, String reason) {
    }

    /** One rolled-back entry: its down and how long it took. */
    public record RolledBack(Down down, long millis) {
    }

    /** @param rolledBack newest first, as run */
    public record Result(UUID runId, boolean dryRun, String to, List<RolledBack> rolledBack, long totalMillis,
                         List<String> warnings) {
    }

    private final Migrator migrator;
    private final HistoryReader history;
    private final FolderReader reader;
    private final SnapshotCodec codec;
    private final SchemaComparer comparer;

    public Rollbacker(Migrator migrator, FolderReader reader, SnapshotCodec codec, SchemaComparer comparer) {
        this.migrator = migrator;
        this.history = migrator.history();
        this.reader = reader;
        this.codec = codec;
        this.comparer = comparer;
    }

    /** The down migration of {@code tag}, read from the folder now. */
    public Down down(String tag) {
        MigrationFolder folder = migrator.folder();
        return down(folder, tag);
    }

    private Down down(MigrationFolder folder, String tag) {
        List<Migration> migrations = folder.migrations();
        int index = -1;
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).tag().equals(tag)) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            throw new UnknownMigrationException(tag, null);
        }
        Migration m = migrations.get(index);
        List<String> file = downFile(folder.path(), m);
        if (file != null) {
            return new Down(tag, m.when(), Source.FILE, file, fileHazards(m.format().downFile(tag), file), null, List.of());
        }
        return computed(MigrationSnapshots.of(reader, codec, folder), m, index == 0 ? null : migrations.get(index - 1));
    }

    /** The chunks of the migration's hand-written down file, or {@code null} when there is none. */
    private static List<String> downFile(Path folder, Migration m) {
        String name = m.format().downFile(m.tag());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(folder.resolve(name));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new FolderException(FolderException.Kind.FILE_MISSING, name, null, "Can't read " + name + ": " + e.getMessage(), e);
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            throw new FolderException(FolderException.Kind.FILE_INVALID, name, null,
                    name + " starts with a UTF-8 byte order mark; PostgreSQL rejects it. Save the file as UTF-8 without BOM");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\0') >= 0) {
            throw new FolderException(FolderException.Kind.FILE_INVALID, name, null, name + " contains a NUL byte");
        }
        return Arrays.asList(text.split(FolderReader.BREAKPOINT, -1));
    }

    /** A SQL-level look at a hand-written down: statements that drop tables, schemas or columns, truncate or delete. */
    static List<Hazard> fileHazards(String downFile, List<String> chunks) {
        List<Hazard> out = new ArrayList<>();
        int n = 0;
        for (String chunk : chunks) {
            n++;
            for (String statement : SqlScanner.statements(chunk)) {
                String text = SqlScanner.stripLeadingComments(statement).strip();
                if (LOSES_DATA.matcher(text).find()) {
                    String first = text.lines().findFirst().orElse(text);
                    out.add(new Hazard(Hazard.Code.DELETES_DATA, downFile + "#" + n,
                            "Statement " + n + " of " + downFile + " deletes data: "
                                    + (first.length() > 120 ? first.substring(0, 120) + "…" : first)));
                }
            }
        }
        return out;
    }

    private Down computed(Map<String, SnapshotFile> snapshots, Migration m, Migration previous) {
        SnapshotFile own = snapshots.get(m.tag());
        if (own == null) {
            throw new NoDownMigrationException(m.tag(), "it has no snapshot (" + m.format().snapshotFile(m.tag()) + ") to compute one from");
        }
        SchemaModel before;
        if (previous == null) {
            before = SchemaModel.empty();
        } else {
            SnapshotFile prev = snapshots.get(previous.tag());
            if (prev == null) {
                throw new NoDownMigrationException(m.tag(), "the entry before it (\"" + previous.tag() + "\") has no snapshot ("
                        + previous.format().snapshotFile(previous.tag()) + ") to compute one from");
            }
            before = read(m.tag(), prev);
        }
        SchemaModel after = read(m.tag(), own);
        // The entry's SQL must be what its snapshots give; otherwise the reverse diff would not undo it.
        String file = String.join(FolderReader.BREAKPOINT, m.statements());
        SchemaPlan forward = comparer.plan(SchemaSource.snapshot("before", before), SchemaSource.snapshot("after", after),
                List.of(), SchemaComparer.Style.DRIZZLE);
        if (!generatedBy(file, forward, before, after)) {
            throw new NoDownMigrationException(m.tag(), forward.isEmpty()
                    ? "its snapshot equals the one before it, so its SQL (a custom migration) cannot be reversed from them"
                    : "its SQL is not what its snapshots give (a custom or hand-edited migration), so the reverse diff would not undo it");
        }
        SchemaPlan down = comparer.plan(SchemaSource.snapshot(m.tag(), after),
                SchemaSource.snapshot(previous == null ? "empty" : previous.tag(), before), List.of(),
                SchemaComparer.Style.SINGLE_TRANSACTION);
        List<String> warnings = new ArrayList<>(down.warnings());
        if (!down.renameCandidates().isEmpty()) {
            warnings.add("The down drops and creates objects a rename may have moved (" + down.renameCandidates().size()
                    + " candidate(s)); a renamed column or table comes back empty");
        }
        return new Down(m.tag(), m.when(), Source.COMPUTED, down.sql(), down.hazards(), down.comparison(), warnings);
    }

    /** Whether {@code file} is what generate (drizzle-kit's way or the online way) writes for this snapshot pair. */
    private boolean generatedBy(String file, SchemaPlan drizzle, SchemaModel before, SchemaModel after) {
        if (file.equals(MigrationWriter.join(drizzle.statements()))) {
            return true;
        }
        SchemaPlan online = comparer.plan(SchemaSource.snapshot("before", before), SchemaSource.snapshot("after", after),
                List.of(), SchemaComparer.Style.ONLINE);
        List<String> all = online.sql();
        if (file.equals(MigrationWriter.join(online.statements()))) {
            return true;
        }
        // Online generate puts concurrent index builds in an entry of their own that starts with COMMIT;.
        List<String> concurrent = online.statements().stream().filter(s -> !s.transactional())
                .map(dev.mellon.migrator.ddl.Statement::sql).toList();
        List<String> leave = new ArrayList<>();
        leave.add(Generator.LEAVE_TRANSACTION);
        leave.addAll(concurrent);
        return !all.isEmpty() && concurrent.size() == all.size() && file.equals(String.join(MigrationWriter.BREAKPOINT, leave));
    }

    private SchemaModel read(String tag, SnapshotFile file) {
        try {
            return codec.read(file.text(), file.path()).schema();
        } catch (SnapshotException e) {
            throw new NoDownMigrationException(tag, file.path() + " does not read (" + e.getMessage() + ")");
        }
    }

    /** Runs the downs of every applied entry after {@code to}, newest first, in one transaction under the apply lock. */
    public Result rollback(Request request, RunContext context) {
        String to = request.to() == null ? "" : request.to();
        MigrationFolder early = migrator.folder();
        if (!to.isEmpty() && early.find(to).isEmpty()) {
            throw new UnknownMigrationException(to, "to");
        }
        return migrator.withLock(request.lockWait(), session -> {
            long started = System.nanoTime();
            MigrationFolder folder = migrator.folder();
            history.store().ensureTables(session, folder);
            StatusReport report = history.statusOn(session, folder);
            List<MigrationStatus> statuses = report.migrations();
            int target = -1;
            if (!to.isEmpty()) {
                for (int i = 0; i < statuses.size(); i++) {
                    if (statuses.get(i).tag().equals(to)) {
                        target = i;
                    }
                }
                if (target < 0) {
                    throw new UnknownMigrationException(to, "to");
                }
                MigrationStatus t = statuses.get(target);
                if (t.state() != MigrationState.APPLIED) {
                    throw new RollbackRefusedException(RollbackRefusedException.Reason.TARGET_NOT_APPLIED, List.of(to), List.of(),
                            "Cannot roll back to \"" + to + "\": it is " + wire(t.state()) + ", not applied. Name an applied entry, "
                                    + "or \"\" to roll back every applied entry");
                }
            }
            List<MigrationStatus> range = new ArrayList<>(statuses.subList(target + 1, statuses.size()));
            java.util.Collections.reverse(range);
            List<String> unsettled = range.stream().filter(s -> UNSETTLED.contains(s.state()))
                    .map(s -> s.tag() + " (" + wire(s.state()) + ")").toList();
            if (!unsettled.isEmpty()) {
                throw new RollbackRefusedException(RollbackRefusedException.Reason.NOT_APPLIED,
                        range.stream().filter(s -> UNSETTLED.contains(s.state())).map(MigrationStatus::tag).toList(), List.of(),
                        "Entries after \"" + (to.isEmpty() ? "the start" : to) + "\" are not cleanly applied: "
                                + String.join(", ", unsettled) + ". Settle them first (GET /migrations)");
            }
            List<MigrationStatus> applied = range.stream().filter(s -> s.state() == MigrationState.APPLIED).toList();
            List<Down> downs = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            for (MigrationStatus s : applied) {
                try {
                    downs.add(down(folder, s.tag()));
                } catch (NoDownMigrationException e) {
                    missing.add(s.tag());
                    reasons.add(e.getMessage());
                }
            }
            if (!missing.isEmpty()) {
                throw new RollbackRefusedException(RollbackRefusedException.Reason.NO_DOWN, missing, List.of(),
                        "Cannot roll back: " + String.join("; ", reasons));
            }
            List<String> warnings = new ArrayList<>();
            downs.forEach(d -> d.warnings().forEach(w -> warnings.add(d.tag() + ": " + w)));
            if (applied.isEmpty()) {
                warnings.add("Nothing to roll back: no applied entry after " + (to.isEmpty() ? "the start" : "\"" + to + "\""));
            }
            List<Hazard> dataLoss = downs.stream().flatMap(d -> d.dataLoss().stream()).toList();
            UUID runId = UUID.randomUUID();
            if (request.dryRun()) {
                return new Result(runId, true, to, downs.stream().map(d -> new RolledBack(d, 0)).toList(),
                        millisSince(started), warnings);
            }
            if (!dataLoss.isEmpty() && !request.acceptDataLoss()) {
                throw new RollbackRefusedException(RollbackRefusedException.Reason.DATA_LOSS,
                        downs.stream().filter(d -> !d.dataLoss().isEmpty()).map(Down::tag).toList(), dataLoss,
                        "The rollback would delete data: " + String.join("; ", dataLoss.stream().map(Hazard::message).toList())
                                + ". Nothing was executed; send acceptDataLoss: true to go ahead");
            }
            List<RolledBack> done = execute(session, applied, downs, runId, request.reason(), context);
            return new Result(runId, false, to, done, millisSince(started), warnings);
        });
    }

    private List<RolledBack> execute(Connection session, List<MigrationStatus> applied, List<Down> downs, UUID runId,
                                     String reason, RunContext context) throws SQLException {
        List<String> tags = downs.stream().map(Down::tag).toList();
        Position at = new Position();
        try {
            return Transactions.inOne(session, () -> {
                List<RolledBack> done = new ArrayList<>();
                List<TrackingStore.AuditEntry> audit = new ArrayList<>();
                for (int d = 0; d < downs.size(); d++) {
                    Down down = downs.get(d);
                    MigrationStatus status = applied.get(d);
                    at.tag = down.tag();
                    long started = System.nanoTime();
                    for (at.index = 0; at.index < down.statements().size(); at.index++) {
                        at.sql = down.statements().get(at.index);
                        try (java.sql.Statement st = session.createStatement()) {
                            st.setEscapeProcessing(false);
                            st.execute(at.sql);
                        }
                    }
                    at.index = 0;
                    at.sql = "delete tracking row";
                    deleteRow(session, status);
                    long millis = millisSince(started);
                    done.add(new RolledBack(down, millis));
                    audit.add(new TrackingStore.AuditEntry(status.migration(), "rolled-back", millis, reason));
                }
                history.store().insertAuditRows(session, runId, audit, TransactionMode.ALL, context);
                at.index = 0;
                at.sql = "COMMIT";
                return done;
            });
        } catch (SQLException e) {
            throw ServerError.of(e).failure(at.tag == null ? "rollback" : at.tag, at.index + 1, at.sql, List.of(), tags,
                    List.of(), e);
        }
    }

    /** Where the rollback's transaction is, for the failure report. */
    private static final class Position {
        private String tag;
        private int index;
        private String sql = "COMMIT";
    }

    /** Deletes exactly the tracking row the entry was matched to, by id, created_at and hash. */
    private void deleteRow(Connection session, MigrationStatus status) throws SQLException {
        TrackingRow row = status.row();
        if (row == null || row.createdAt() == null) {
            throw new IllegalStateException("\"" + status.tag() + "\" is applied but has no tracking row with a created_at");
        }
        try (PreparedStatement st = session.prepareStatement("delete from " + migrator.trackingTable().qualifiedName()
                + " where id = ? and created_at = ? and hash = ?")) {
            st.setLong(1, row.id());
            st.setLong(2, row.createdAt());
            st.setString(3, row.hash());
            if (st.executeUpdate() != 1) {
                throw new SQLException("The tracking row of \"" + status.tag() + "\" changed during the rollback", "40001");
            }
        }
    }

    private static String wire(MigrationState state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
