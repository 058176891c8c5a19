package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.diff.DriftReport;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.history.StatusReport;
import dev.mellon.migrator.engine.sandbox.SandboxUnavailableException;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.introspect.Introspection;
import dev.mellon.migrator.introspect.UnmanagedObject;
import dev.mellon.migrator.schema.ModelFilter;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.schema.SchemaModel;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Drift and every other comparison of two schemas: the live database, the history up to an entry, a snapshot a caller
 * sends, or DDL run in a sandbox. The history is what its SQL produces ({@link HistoryReplay}): the comparison is then
 * PostgreSQL's print against PostgreSQL's print, exact. Only when no replay can be had does it fall back to the
 * entry's snapshot (rebuilt in a sandbox, else compared as text), saying why. Compared with the database, the history
 * means the entries the database has applied: a pending entry is not drift.
 */
public final class SchemaDiffs {

    /** The entries a database holds when their SQL ran there (an edited file ran in its old form: still applied). */
    private static final Set<MigrationState> RAN = EnumSet.of(MigrationState.APPLIED, MigrationState.CHANGED, MigrationState.MOVED);

    private final Migrator migrator;
    private final SchemaInspector inspector;
    private final SchemaComparer comparer;
    private final Canonicalizer canonicalizer;
    private final HistoryReplay replay;
    private final ClusterCheck cluster;

    /**
     * @param replay     the history's replays, or {@code null} to compare with snapshots only
     * @param targetPool the target database, for what its server says of statements replay did not run
     */
    public SchemaDiffs(Migrator migrator, SchemaInspector inspector, SchemaComparer comparer, Canonicalizer canonicalizer,
                       HistoryReplay replay, javax.sql.DataSource targetPool) {
        this.migrator = migrator;
        this.inspector = inspector;
        this.comparer = comparer;
        this.canonicalizer = canonicalizer;
        this.replay = replay;
        this.cluster = new ClusterCheck(targetPool);
    }

    /** One side of a comparison. */
    public sealed interface Source permits Database, History, Snapshot, Sql {
    }

    /** The live database. */
    public record Database() implements Source {
    }

    /** The history: after the entry {@code tag}, or its head ({@code null}: with the database, its applied entries). */
    public record History(String tag) implements Source {
    }

    /** A Drizzle snapshot a caller sends. */
    public record Snapshot(String json) implements Source {
    }

    /** DDL a caller sends, run in a sandbox. */
    public record Sql(String ddl) implements Source {
    }

    /**
     * {@code database}, {@code migrations} or {@code migrations@<tag>}, as the query parameters name them.
     *
     * @throws InvalidSourceException naming {@code field} when it is none of them
     */
    public static Source named(String field, String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidSourceException(field, "Name " + field + ": database, migrations or migrations@<tag>");
        }
        if (name.equals("database")) {
            return new Database();
        }
        if (name.equals("migrations")) {
            return new History(null);
        }
        if (name.startsWith("migrations@") && name.length() > "migrations@".length()) {
            return new History(name.substring("migrations@".length()));
        }
        throw new InvalidSourceException(field, "Unknown " + field + " \"" + name + "\"; use database, migrations or migrations@<tag>");
    }

    /** What was replayed for a history side, and what did not run in the sandbox. */
    public record ReplayInfo(String lastTag, int entries, int replayedNow, long millis, List<NotReplayed> notReplayed,
                             List<String> extensions) {
    }

    /**
     * The comparison's answer.
     *
     * @param comparison  {@code replay} (the history's SQL replayed and read back, against PostgreSQL's print of the
     *                    other side), {@code canonical}, {@code snapshot} or {@code textual}
     * @param differences what differs, from the steps that make {@code to} match {@code from}
     * @param pending     entries the database has not applied (only when the database is one side)
     * @param replay      what the history side's replay did, when there was one
     */
    public record Diff(String from, String to, String snapshotFile, String comparison, SchemaPlan plan,
                       List<Difference> differences, List<UnmanagedObject> unmanaged, List<String> pending,
                       ReplayInfo replay, List<String> warnings) {

        public boolean inSync() {
            return differences.isEmpty();
        }
    }

    /** A resolved side: a model, where it came from, and what is known about it. */
    private record Side(String label, SchemaSource source, String snapshotFile, List<UnmanagedObject> unmanaged,
                        Replayed replayed, List<String> warnings) {
    }

    /** Compares {@code from} (the expectation) with {@code to}; {@code schemas} null means those the history uses. */
    public Diff diff(String fromLabel, Source from, String toLabel, Source to, NameFilter schemas, NameFilter tables) {
        MigrationFolder folder = migrator.currentFolder();
        boolean involvesDatabase = from instanceof Database || to instanceof Database;
        StatusReport status = involvesDatabase ? migrator.status(folder) : null;
        List<String> pending = status == null ? List.of() : status.migrations().stream()
                .filter(s -> s.state() != MigrationState.APPLIED).map(MigrationStatus::tag).toList();
        List<String> warnings = new ArrayList<>();
        // The history first: which schemas it uses decides what is read of the database.
        Side base = from instanceof Database ? null : side(fromLabel, from, folder, status, tables, warnings);
        Side other = to instanceof Database ? null : side(toLabel, to, folder, status, tables, warnings);
        SchemaModel peer = base != null ? base.source().model() : other != null ? other.source().model() : SchemaModel.empty();
        NameFilter scope = schemas != null ? schemas : SchemaInspector.schemasOf(peer);
        if (base == null) {
            base = database(fromLabel, scope, tables);
        }
        if (other == null) {
            other = database(toLabel, scope, tables);
        }
        SchemaModel expected = ModelFilter.apply(base.source().model(), scope, tables);
        SchemaModel actual = ModelFilter.apply(other.source().model(), scope, tables);
        // The plan makes the actual side (to) match the expected one (from).
        SchemaPlan plan = comparer.plan(other.source().withModel(actual), base.source().withModel(expected), List.of(),
                SchemaComparer.Style.DRIZZLE);
        List<Difference> differences = new ArrayList<>(DriftReport.of(plan.changes()));
        Side replayed = base.replayed() != null ? base : other.replayed() != null ? other : null;
        ReplayInfo info = null;
        String comparison = plan.comparison();
        if (replayed != null) {
            comparison = "replay";
            Side database = replayed == base ? other : base;
            if (from instanceof Database || to instanceof Database) {
                differences.addAll(unmanagedDifferences(replayed, database, scope, replayed == base));
            }
            List<NotReplayed> checked = involvesDatabase ? cluster.check(replayed.replayed().notReplayed())
                    : replayed.replayed().notReplayed();
            for (NotReplayed n : checked) {
                if ("missing".equals(n.target())) {
                    for (String role : n.cluster().roles()) {
                        differences.add(new Difference("role", role, replayed == base ? "missing" : "unexpected", null, null, null));
                    }
                }
            }
            Replayed r = replayed.replayed();
            info = new ReplayInfo(r.lastTag(), r.entries(), r.replayedNow(), r.millis(), checked,
                    r.extensions().stream().map(e -> e.name()).toList());
        }
        warnings.addAll(base.warnings());
        warnings.addAll(other.warnings());
        warnings.addAll(plan.warnings());
        List<UnmanagedObject> unmanaged = new ArrayList<>(base.replayed() == null ? base.unmanaged() : List.of());
        unmanaged.addAll(other.replayed() == null ? other.unmanaged() : List.of());
        String snapshot = base.snapshotFile() != null ? base.snapshotFile() : other.snapshotFile();
        return new Diff(fromLabel, toLabel, snapshot, comparison, plan, differences, unmanaged, pending, info, warnings);
    }

    private Side database(String label, NameFilter scope, NameFilter tables) {
        Introspection live = inspector.introspect(scope, tables);
        return new Side(label, new SchemaSource(label, live.schema(), SchemaSource.Origin.POSTGRES, null, live.unmanaged(),
                List.of()), null, live.unmanaged(), null, List.of());
    }

    private Side side(String label, Source source, MigrationFolder folder, StatusReport status, NameFilter tables,
                      List<String> warnings) {
        if (source instanceof Snapshot s) {
            return new Side(label, SchemaSource.snapshot(label, inspector.codec().read(s.json(), "snapshot").schema()),
                    null, List.of(), null, List.of());
        }
        if (source instanceof Sql s) {
            return new Side(label, SchemaSource.postgres(label, canonicalizer.fromSql(s.ddl())), null, List.of(), null, List.of());
        }
        if (source instanceof History h) {
            return history(label, h.tag(), folder, status, tables, warnings);
        }
        throw new IllegalArgumentException("the database is read after the history");
    }

    /**
     * The history up to {@code tag} (its head when null). Against the database, its head means what the database has
     * applied: entries still pending are left out, and the answer says how many.
     */
    private Side history(String label, String tag, MigrationFolder folder, StatusReport status, NameFilter tables,
                         List<String> warnings) {
        List<Migration> entries = entriesUpTo(folder, tag, label);
        String lastTag = tag;
        if (tag == null && status != null) {
            List<Migration> ran = status.migrations().stream().filter(s -> RAN.contains(s.state())).map(MigrationStatus::migration).toList();
            if (ran.size() < entries.size()) {
                int waiting = entries.size() - ran.size();
                warnings.add(waiting + " journal entr" + (waiting == 1 ? "y is" : "ies are") + " not applied; the database is "
                        + "compared with the " + ran.size() + " it has applied");
                entries = ran;
            }
            lastTag = entries.isEmpty() ? null : entries.get(entries.size() - 1).tag();
            status.inState(MigrationState.CHANGED).forEach(c -> warnings.add("\"" + c.tag() + "\" was edited after it was "
                    + "applied: its current file is what the comparison expects"));
        }
        if (replay != null) {
            try {
                Replayed r = replay.replay(entries, inspector.extensions());
                return new Side(label, SchemaSource.postgres(label, r.model()), null, r.unmanaged(), r, List.of());
            } catch (SandboxUnavailableException | ReplayFailedException e) {
                warnings.add("Compared with the entry's snapshot, not with a replay of the history's SQL: " + e.getMessage());
            }
        }
        if (lastTag == null && tag == null && !entries.isEmpty()) {
            lastTag = entries.get(entries.size() - 1).tag();
        }
        SchemaInspector.ExpectedSchema expected = lastTag == null ? null : inspector.expected(folder, lastTag);
        SchemaModel model = expected == null ? SchemaModel.empty() : SchemaInspector.modelOf(expected);
        List<String> notes = expected == null ? List.of() : expected.warnings();
        return new Side(label, SchemaSource.snapshot(label, model), expected == null ? null : expected.file(), List.of(), null, notes);
    }

    private static List<Migration> entriesUpTo(MigrationFolder folder, String tag, String field) {
        List<Migration> all = folder.migrations();
        if (tag == null) {
            return all;
        }
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).tag().equals(tag)) {
                return all.subList(0, i + 1);
            }
        }
        throw new InvalidSourceException(field, "The journal has no migration tagged \"" + tag + "\"");
    }

    /**
     * Functions, triggers and extensions: a snapshot cannot hold them, but a replay does, so they are compared by name
     * (their bodies are not).
     */
    private static List<Difference> unmanagedDifferences(Side replayed, Side database, NameFilter scope, boolean replayIsExpected) {
        Set<String> history = keys(replayed.unmanaged(), scope);
        Set<String> live = keys(database.unmanaged(), scope);
        List<Difference> out = new ArrayList<>();
        for (String key : history) {
            if (!live.contains(key)) {
                out.add(difference(key, replayIsExpected ? "missing" : "unexpected"));
            }
        }
        for (String key : live) {
            if (!history.contains(key)) {
                out.add(difference(key, replayIsExpected ? "unexpected" : "missing"));
            }
        }
        return out;
    }

    private static Set<String> keys(List<UnmanagedObject> objects, NameFilter scope) {
        Set<String> out = new LinkedHashSet<>();
        for (UnmanagedObject o : objects) {
            if (o.kind().equals("extension") || scope.matches(o.schema())) {
                out.add(o.kind() + "\u0000" + (o.kind().equals("extension") ? o.name() : o.schema() + "." + o.name())
                        + (o.kind().equals("trigger") ? " " + o.detail() : ""));
            }
        }
        return out;
    }

    private static Difference difference(String key, String change) {
        String[] parts = key.split("\u0000", 2);
        return new Difference(parts[0], parts[1], change, null, null, null);
    }

    /** For callers that resolve the history themselves (generate, check, baseline). */
    public HistoryReplay replay() {
        return replay;
    }
}
