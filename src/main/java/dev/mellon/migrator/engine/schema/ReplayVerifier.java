package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.engine.sandbox.Extension;
import dev.mellon.migrator.engine.sandbox.Requester;
import dev.mellon.migrator.engine.sandbox.Sandbox;
import dev.mellon.migrator.engine.sandbox.SandboxStatementException;
import dev.mellon.migrator.engine.sandbox.SandboxUnavailableException;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.SqlScanner;
import dev.mellon.migrator.introspect.Introspector;
import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Proves a generated migration on a replay of its history ({@link HistoryReplay}): a copy of the replay runs the new
 * entries as apply runs them ({@link ReplayRun}), and what that copy holds is compared with the desired schema built
 * on its own in a sandbox, both printed by PostgreSQL. Where the history's own SQL already disagrees with the snapshot
 * the migration was generated from (a hand edit, see {@link SnapshotAudit}), that disagreement is carried, not
 * blamed on the new migration: only differences that were not there before count.
 */
public final class ReplayVerifier implements MigrationVerifier {

    private static final int KEEP = 4;
    /** Builds of desired schemas, beside the runs of new entries. */
    private static final java.util.concurrent.Executor SIDES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mellon-verify");
        t.setDaemon(true);
        return t;
    });

    private final HistoryReplay replay;
    private final Supplier<List<Extension>> targetExtensions;
    /** The disagreements of a replay with the snapshot its next migration starts from, by replay key. */
    private final Map<String, Baseline> baselines = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Baseline> eldest) {
            return size() > KEEP;
        }
    };

    /**
     * Schemas built on their own and read back, by model: one migration's desired schema is the next one's parent.
     * The extensions they were built with are part of the key.
     */
    private final Map<List<Object>, SchemaModel> printed = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Object>, SchemaModel> eldest) {
            return size() > KEEP;
        }
    };

    private record Baseline(SchemaModel parent, Set<String> disagreements) {
    }

    /** @param targetExtensions the target's extensions, which a history may use without creating them */
    public ReplayVerifier(HistoryReplay replay, Supplier<List<Extension>> targetExtensions) {
        this.replay = replay;
        this.targetExtensions = targetExtensions;
    }

    @Override
    public Verification verify(List<Migration> history, SchemaModel parent, List<Migration> added, SchemaModel desired) {
        long started = System.nanoTime();
        Verification.Failed smuggled = smuggledStatement(added, started);
        if (smuggled != null) {
            return smuggled;
        }
        Replayed base;
        try {
            base = replay.replay(history, extensions());
        } catch (ReplayFailedException e) {
            return new Verification.NotVerified("the history itself does not replay in a sandbox: " + e.getMessage(), since(started));
        } catch (SandboxUnavailableException e) {
            return new Verification.NotVerified("no sandbox: " + e.getMessage(), since(started));
        }
        // The desired schema is built on its own while the copy runs the new entries: two sandboxes, two sessions.
        String requester = Requester.current();
        CompletableFuture<Expected> expectedSide = CompletableFuture.supplyAsync(() -> Requester.onBehalfOf(requester,
                () -> expected(base, history, added, parent, desired)), SIDES);
        SchemaModel actual;
        List<NotReplayed> notRun;
        try (Sandbox copy = replay.sandboxes().cloneOf(base.template())) {
            ReplayRun run = new ReplayRun(copy, true);
            run.run(added);
            notRun = run.skipped();
            actual = new Introspector().introspect(copy.session(), replay.readOptions()).schema();
        } catch (ReplayFailedException e) {
            expectedSide.join();
            if (e.tag() == null) {
                return new Verification.NotVerified(e.getMessage(), since(started));
            }
            return new Verification.Failed(e.tag(), e.statementIndex(), e.statement(), e.sqlState(),
                    e.server() == null ? null : e.server().position(), e.server() == null ? null : e.server().message(),
                    undefinedEnumHint(desired, base.model()), since(started));
        } catch (SQLException | SandboxUnavailableException e) {
            expectedSide.join();
            return new Verification.NotVerified("the replay's copy could not be used: " + e.getMessage(), since(started));
        }
        Expected side = expectedSide.join();
        if (side.reason() != null) {
            return new Verification.NotVerified(side.reason(), since(started));
        }
        SchemaModel expected = side.model();
        Set<String> before = side.carried();
        Set<String> unprovable = policiesNeedingRoles(notRun);
        List<Difference> remaining = new ArrayList<>();
        for (Difference d : SchemaDisagreements.between(actual, expected, replay.sandboxes().login().role())) {
            boolean carried = before != null && before.contains(SchemaDisagreements.id(d));
            boolean needsRole = d.objectKind().equals("policy") && unprovable.stream().anyMatch(p -> d.name().endsWith("." + p));
            if (!carried && !needsRole) {
                remaining.add(d);
            }
        }
        if (!remaining.isEmpty()) {
            return new Verification.Incomplete(remaining, since(started));
        }
        return new Verification.Verified(since(started), notRun.stream().map(NotReplayed::statement).toList());
    }

    /**
     * The desired schema as PostgreSQL prints it, and what the replay already disagreed on with the parent ({@code
     * null}: unknown); or why there is nothing to compare with.
     */
    private record Expected(SchemaModel model, Set<String> carried, String reason) {
    }

    private Expected expected(Replayed base, List<Migration> history, List<Migration> added, SchemaModel parent,
                              SchemaModel desired) {
        try (Scratch scratch = new Scratch(extensionsFor(base, history, added))) {
            Set<String> carried = baseline(base, parent, scratch);
            try {
                return new Expected(printed(scratch, desired, base.model()), carried, null);
            } catch (SandboxStatementException e) {
                return new Expected(null, null, "the desired schema cannot be built on its own in a sandbox, so there is "
                        + "nothing to compare with: " + e.getMessage());
            }
        } catch (SQLException | RuntimeException e) {
            return new Expected(null, null, "the sandbox for the desired schema could not be used: " + e.getMessage());
        }
    }

    /**
     * What the replay already disagrees on with the parent snapshot, built in {@code scratch}; {@code null} when the
     * parent cannot be built on its own (then every difference counts).
     */
    private Set<String> baseline(Replayed base, SchemaModel parent, Scratch scratch) throws SQLException {
        synchronized (baselines) {
            Baseline known = baselines.get(base.key());
            if (known != null && known.parent().equals(parent)) {
                return known.disagreements();
            }
        }
        SchemaModel parentPrinted;
        try {
            parentPrinted = printed(scratch, parent, base.model());
        } catch (SandboxStatementException e) {
            return null;
        }
        Set<String> ids = new HashSet<>();
        for (Difference d : SchemaDisagreements.between(base.model(), parentPrinted, replay.sandboxes().login().role())) {
            ids.add(SchemaDisagreements.id(d));
        }
        synchronized (baselines) {
            baselines.put(base.key(), new Baseline(parent, Set.copyOf(ids)));
        }
        return ids;
    }

    @Override
    public Optional<HistoryState> historyState(List<Migration> history, SchemaModel parent, SchemaModel desired) {
        try {
            Replayed base = replay.replay(history, extensions());
            String role = replay.sandboxes().login().role();
            try (Scratch scratch = new Scratch(extensionsFor(base, history, List.of()))) {
                SchemaModel parentPrinted = printed(scratch, parent, base.model());
                List<Difference> divergences = SchemaDisagreements.between(base.model(), parentPrinted, role);
                if (divergences.isEmpty()) {
                    return Optional.empty();
                }
                SchemaModel desiredPrinted = printed(scratch, desired, base.model());
                return Optional.of(new HistoryState(SchemaDisagreements.withRunningRole(base.model(), role),
                        SchemaDisagreements.withRunningRole(desiredPrinted, role), divergences));
            }
        } catch (ReplayFailedException | SandboxUnavailableException | SandboxStatementException | SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * The enums {@code model}'s columns use but it does not define: drizzle-kit leaves an enum that is not exported out
     * of the snapshot, yet its columns still name it. Each is taken from {@code source} (what the history's SQL made)
     * where it is there, else stood in for by an enum without values, so that the schema can be built at all.
     */
    static Map<String, SchemaObjects.EnumType> undefinedEnums(SchemaModel model, SchemaModel source) {
        Map<String, SchemaObjects.EnumType> out = new LinkedHashMap<>();
        for (Table t : model.tables().values()) {
            for (Column c : t.columns().values()) {
                String key = c.typeSchema() == null ? null : c.typeSchema() + "." + c.type().replace("[]", "");
                if (key != null && !model.enums().containsKey(key) && !out.containsKey(key)) {
                    SchemaObjects.EnumType known = source.enums().get(key);
                    out.put(key, known != null ? known
                            : new SchemaObjects.EnumType(c.type().replace("[]", ""), c.typeSchema(), List.of()));
                }
            }
        }
        return out;
    }

    /**
     * A generated statement holding more than one: text the desired schema gave it (a view's definition, a default, a
     * check) ends it and starts another. Such a migration would run that other statement wherever it is applied.
     */
    private static Verification.Failed smuggledStatement(List<Migration> added, long started) {
        for (Migration m : added) {
            for (int i = 0; i < m.statements().size(); i++) {
                int count = SqlScanner.statements(m.statements().get(i)).size();
                if (count > 1) {
                    return new Verification.Failed(m.tag(), i + 1, SqlScanner.firstLine(m.statements().get(i)), null, null, null,
                            "it holds " + count + " SQL statements where one was written: text from the desired schema (a "
                            + "definition, a default, an expression) ends it and starts another", since(started));
                }
            }
        }
        return null;
    }

    /** Names the enums the desired schema uses that neither it defines nor the history makes, if any. */
    private static String undefinedEnumHint(SchemaModel desired, SchemaModel history) {
        List<String> missing = undefinedEnums(desired, history).entrySet().stream()
                .filter(e -> !history.enums().containsKey(e.getKey())).map(Map.Entry::getKey).toList();
        return missing.isEmpty() ? null : "the desired schema uses enum " + String.join(", ", missing) + " without defining it, "
                + "and the history does not create it (drizzle-kit leaves out of the snapshot an enum the schema file does "
                + "not export: export it)";
    }

    /**
     * {@code model} built on its own in {@code scratch} and read back (or what an earlier proof read of it). Enums it
     * uses without defining them are built too ({@link #undefinedEnums}) and left out of what is read: the model does
     * not have them.
     */
    private SchemaModel printed(Scratch scratch, SchemaModel model, SchemaModel source) throws SQLException {
        Map<String, SchemaObjects.EnumType> undefined = undefinedEnums(model, source);
        List<Object> key = List.of(model, undefined, scratch.extensions);
        synchronized (printed) {
            SchemaModel known = printed.get(key);
            if (known != null) {
                return known;
            }
        }
        SchemaModel built = model;
        if (!undefined.isEmpty()) {
            Map<String, SchemaObjects.EnumType> enums = new LinkedHashMap<>(undefined);
            enums.putAll(model.enums());
            built = new SchemaModel(model.tables(), enums, model.schemas(), model.sequences(), model.roles(), model.policies(),
                    model.views());
        }
        SchemaModel read = partly(scratch, built);
        if (read == null) {
            read = ModelBuilds.printed(scratch.sandbox(), built);
        }
        if (!undefined.isEmpty()) {
            Map<String, SchemaObjects.EnumType> enums = new LinkedHashMap<>(read.enums());
            enums.keySet().removeAll(undefined.keySet());
            read = new SchemaModel(read.tables(), enums, read.schemas(), read.sequences(), read.roles(), read.policies(),
                    read.views());
        }
        synchronized (printed) {
            printed.put(key, read);
        }
        return read;
    }

    /**
     * {@code built} printed by building only the tables that differ from a schema printed before with the same
     * extensions ({@link PartialPrint}); {@code null} when there is none close enough, or the part does not build on
     * its own (the whole build then says why).
     */
    private SchemaModel partly(Scratch scratch, SchemaModel built) throws SQLException {
        SchemaModel knownModel = null;
        SchemaModel knownPrinted = null;
        PartialPrint.Plan best = null;
        synchronized (printed) {
            for (Map.Entry<List<Object>, SchemaModel> e : printed.entrySet()) {
                if (!e.getKey().get(2).equals(scratch.extensions)) {
                    continue;
                }
                Optional<PartialPrint.Plan> plan = PartialPrint.plan(built, (SchemaModel) e.getKey().get(0));
                if (plan.isPresent() && (best == null || plan.get().part().tables().size() < best.part().tables().size())) {
                    best = plan.get();
                    knownModel = (SchemaModel) e.getKey().get(0);
                    knownPrinted = e.getValue();
                }
            }
        }
        if (best == null || knownModel == null) {
            return null;
        }
        try {
            return PartialPrint.merge(best, knownPrinted, ModelBuilds.printed(scratch.sandbox(), best.part()));
        } catch (SandboxStatementException e) {
            return null;
        }
    }

    /**
     * The sandbox in which models are built on their own, with the extensions they may need; opened only when a model
     * must really be built (one printed before is reused), so a proof whose sides are known makes no database.
     */
    private final class Scratch implements AutoCloseable {
        private final List<Extension> extensions;
        private Sandbox sandbox;

        Scratch(List<Extension> extensions) {
            this.extensions = extensions;
        }

        Sandbox sandbox() throws SQLException {
            if (sandbox == null) {
                Sandbox opened = replay.sandboxes().open();
                try {
                    for (Extension e : extensions) {
                        opened.createExtension(e.name(), e.schema(), true);
                    }
                } catch (SQLException | RuntimeException e) {
                    opened.close();
                    throw e;
                }
                sandbox = opened;
            }
            return sandbox;
        }

        @Override
        public void close() {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    /** The names of policies a statement skipped for want of a role would have made: they cannot be proven here. */
    private static Set<String> policiesNeedingRoles(List<NotReplayed> notRun) {
        Set<String> out = new HashSet<>();
        for (NotReplayed n : notRun) {
            if (!n.reason().equals(NotReplayed.NEEDS_ROLE)) {
                continue;
            }
            List<SqlScanner.Token> tokens = SqlScanner.tokens(n.statement());
            for (int i = 0; i + 2 < tokens.size(); i++) {
                if (tokens.get(i).text().equalsIgnoreCase("POLICY")) {
                    out.add(tokens.get(i + 1).name());
                    break;
                }
            }
        }
        return out;
    }

    /** The desired schema may use what any extension of the history provides: the replay's, and those created since. */
    private static List<Extension> extensionsFor(Replayed base, List<Migration> history, List<Migration> added) {
        Set<Extension> all = new TreeSet<>(base.extensions());
        List<Migration> everything = new ArrayList<>(history);
        everything.addAll(added);
        for (String name : HistoryReplay.extensionsCreatedBy(everything)) {
            if (all.stream().noneMatch(e -> e.name().equals(name))) {
                all.add(new Extension(name, null));
            }
        }
        return List.copyOf(all);
    }

    private List<Extension> extensions() {
        try {
            return targetExtensions.get();
        } catch (RuntimeException e) {
            return List.of(); // no target to ask: the history creates what it needs, or its replay says what is missing
        }
    }

    private static long since(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
