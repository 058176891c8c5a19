package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.engine.sandbox.Extension;
import dev.mellon.migrator.engine.sandbox.Sandbox;
import dev.mellon.migrator.engine.sandbox.SandboxStatementException;
import dev.mellon.migrator.engine.sandbox.Sandboxes;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.folder.SnapshotFile;
import dev.mellon.migrator.introspect.IntrospectOptions;
import dev.mellon.migrator.introspect.Introspector;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SnapshotCodec;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a history's snapshots disagree with what its SQL produces. Snapshots are drizzle-kit's record of what the
 * TypeScript schema said; hand-written SQL, custom migrations and edited files make the database something else.
 * That is a finding about the folder, never drift: but {@code generate} diffs against the last snapshot, so what it
 * gets wrong there it writes into the next migration.
 *
 * <p>Two sandboxes advance entry by entry: one runs the history's SQL as apply runs it, the other is taken from each
 * snapshot to the next with our own DDL; both are read back after each entry that has a snapshot and compared exactly
 * (both printed by PostgreSQL). An entry is reported where new disagreements appear.
 */
public final class SnapshotAudit {

    private static final int CACHE_SIZE = 8;

    private final Sandboxes sandboxes;
    private final dev.mellon.migrator.engine.history.TrackingTable tracking;
    private final FolderReader reader;
    private final SnapshotCodec codec;
    private final Map<String, Result> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Result> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    public SnapshotAudit(Sandboxes sandboxes, dev.mellon.migrator.engine.history.TrackingTable tracking, FolderReader reader, SnapshotCodec codec) {
        this.sandboxes = sandboxes;
        this.tracking = tracking;
        this.reader = reader;
        this.codec = codec;
    }

    /**
     * An entry whose snapshot disagrees with its SQL in ways the entries before it did not.
     *
     * @param appeared what first disagrees after this entry: {@code missing} = the snapshot has it and the SQL did
     *                 not make it; {@code unexpected} = the SQL made it and the snapshot lacks it; {@code changed} = both
     *                 have it, unlike (expected: the snapshot, actual: what the SQL made)
     * @param all      everything that disagrees after this entry
     */
    public record Disagreement(String tag, String snapshotFile, List<Difference> appeared, List<Difference> all) {
    }

    /**
     * @param disagreements the entries where disagreements appear, in journal order
     * @param last          what disagrees after the last entry with a snapshot: what generate would get wrong
     * @param lastSnapshot  that entry's snapshot file
     * @param unbuildable   snapshots that could not be built (their SQL failed in the sandbox), with why
     */
    public record Result(List<Disagreement> disagreements, List<Difference> last, String lastSnapshot,
                         List<String> unbuildable, List<NotReplayed> notReplayed, long millis) {
    }

    public Result audit(Path folderPath, MigrationFolder folder, List<Extension> targetExtensions) {
        List<Migration> entries = folder.migrations();
        Map<Migration, SnapshotFile> snapshots = new LinkedHashMap<>();
        StringBuilder content = new StringBuilder();
        Map<String, SnapshotFile> byTag = dev.mellon.migrator.engine.schema.MigrationSnapshots.of(reader, codec, folder);
        for (Migration m : entries) {
            Optional<SnapshotFile> file = Optional.ofNullable(byTag.get(m.tag()));
            file.ifPresent(f -> snapshots.put(m, f));
            content.append(m.tag()).append(' ').append(m.hash()).append(' ').append(file.map(f -> f.text().hashCode()).orElse(0)).append('\n');
        }
        List<Extension> first = HistoryReplay.extensionsNotCreatedBy(entries, targetExtensions);
        String key = HistoryReplay.keys(entries, first, tracking, sandboxes.login().role()).get(entries.size()) + " "
                + content.toString().hashCode();
        synchronized (cache) {
            Result known = cache.get(key);
            if (known != null) {
                return known;
            }
        }
        Result result = run(entries, snapshots, first, allExtensions(entries, targetExtensions));
        synchronized (cache) {
            cache.put(key, result);
        }
        return result;
    }

    private Result run(List<Migration> entries, Map<Migration, SnapshotFile> snapshots, List<Extension> forHistory,
                       List<Extension> forSnapshots) {
        long started = System.nanoTime();
        List<Disagreement> disagreements = new ArrayList<>();
        List<String> unbuildable = new ArrayList<>();
        List<Difference> last = List.of();
        String lastSnapshot = null;
        Sandbox snapshot = null;
        try (Sandbox sql = sandboxes.open()) {
            for (Extension e : forHistory) {
                sql.createExtension(e.name(), e.schema(), true);
            }
            ReplayRun run = new ReplayRun(sql);
            run.prepare(tracking);
            IntrospectOptions options = new IntrospectOptions(NameFilter.all(), NameFilter.all(), tracking.ownTables());
            SchemaModel built = null;
            Set<String> before = Set.of();
            for (Migration m : entries) {
                run.run(List.of(m));
                SnapshotFile file = snapshots.get(m);
                if (file == null) {
                    continue;
                }
                String name = file.path();
                SchemaModel wanted;
                try {
                    wanted = codec.read(file.text(), name).schema();
                } catch (dev.mellon.migrator.schema.SnapshotException e) {
                    unbuildable.add(name + " cannot be read: " + e.getMessage());
                    continue; // the folder check reports it as an error; the entries after it are still compared
                }
                // From the previous snapshot by the difference of the two; where that fails, this snapshot from nothing.
                boolean builtNow = false;
                if (snapshot != null && built != null) {
                    try {
                        ModelBuilds.build(snapshot, built, wanted);
                        builtNow = true;
                    } catch (SandboxStatementException e) {
                        // left as it was: built again from nothing below
                    }
                }
                if (!builtNow) {
                    if (snapshot != null) {
                        snapshot.close();
                    }
                    snapshot = sandboxes.open();
                    for (Extension e : forSnapshots) {
                        snapshot.createExtension(e.name(), e.schema(), true);
                    }
                    try {
                        ModelBuilds.build(snapshot, SchemaModel.empty(), wanted);
                    } catch (SandboxStatementException e) {
                        unbuildable.add(name + ": " + e.getMessage());
                        built = null;
                        continue;
                    }
                }
                built = wanted;
                SchemaModel actual = new Introspector().introspect(sql.session(), options).schema();
                SchemaModel expected = ModelBuilds.read(snapshot, wanted);
                List<Difference> all = SchemaDisagreements.between(actual, expected, sandboxes.login().role());
                Set<String> now = new LinkedHashSet<>();
                List<Difference> appeared = new ArrayList<>();
                for (Difference d : all) {
                    String id = SchemaDisagreements.id(d);
                    now.add(id);
                    if (!before.contains(id)) {
                        appeared.add(d);
                    }
                }
                if (!appeared.isEmpty()) {
                    disagreements.add(new Disagreement(m.tag(), name, appeared, all));
                }
                before = now;
                last = all;
                lastSnapshot = name;
            }
            return new Result(disagreements, last, lastSnapshot, unbuildable, run.skipped(), (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            throw new dev.mellon.migrator.engine.sandbox.SandboxUnavailableException("The audit's sandbox could not be used: "
                    + e.getMessage() + " [SQLSTATE " + e.getSQLState() + "]", e);
        } finally {
            if (snapshot != null) {
                snapshot.close();
            }
        }
    }

    /** The snapshots' sandbox gets every extension the history creates or the target has: their types and operators. */
    private static List<Extension> allExtensions(List<Migration> entries, List<Extension> target) {
        Set<Extension> all = new TreeSet<>(target);
        for (String name : HistoryReplay.extensionsCreatedBy(entries)) {
            if (all.stream().noneMatch(e -> e.name().equals(name))) {
                all.add(new Extension(name, null));
            }
        }
        return List.copyOf(all);
    }
}
