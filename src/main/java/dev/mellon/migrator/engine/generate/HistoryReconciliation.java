package dev.mellon.migrator.engine.generate;

import dev.mellon.migrator.engine.schema.MigrationVerifier;
import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.diff.Differ;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A step generated from snapshots, written again to run on what the history's SQL made. drizzle-kit diffs two
 * snapshots; where the history's SQL disagrees with the older one (a hand edit, a snapshot written without an enum),
 * that step fails on every database that ran the history. Here each object the step touches and the history disagrees
 * on is migrated from its replayed state instead; every other step is kept as the snapshots give it, and objects the
 * step does not touch (a hand-made index, say) are left alone, as drizzle-kit would leave them.
 *
 * @param changes    the step's changes
 * @param reconciled the objects migrated from the replayed state, as {@code kind name}
 */
record HistoryReconciliation(List<Change> changes, List<String> reconciled) {

    static HistoryReconciliation of(List<Change> fromSnapshots, MigrationVerifier.HistoryState state) {
        Set<String> divergent = new LinkedHashSet<>();
        for (Difference d : state.divergences()) {
            divergent.add(key(d.objectKind(), d.name()));
        }
        Set<String> touched = new LinkedHashSet<>();
        fromSnapshots.forEach(c -> touched.add(key(c.kind(), c.name())));
        List<Change> out = new ArrayList<>();
        Set<String> reconciled = new LinkedHashSet<>();
        for (Change c : fromSnapshots) {
            if (covered(divergent, c)) {
                reconciled.add(c.kind() + " " + c.name());
            } else {
                out.add(c);
            }
        }
        for (Change c : new Differ(Differ.Options.exact()).diff(state.replayed(), state.desired()).changes()) {
            if (covered(divergent, c) && covered(touched, c)) {
                out.add(c);
                reconciled.add(c.kind() + " " + c.name());
            }
        }
        return new HistoryReconciliation(out, List.copyOf(reconciled));
    }

    String warning() {
        return "The history's SQL does not make what the parent snapshot says (see GET /migrations/check, snapshot "
                + "audit); generated from the snapshots, this migration would fail on a database that ran the history, "
                + "so these objects were migrated from what the history made instead: " + String.join(", ", reconciled);
    }

    private static String key(String kind, String name) {
        return kind + "\u0000" + name;
    }

    /** True when {@code keys} names the change's object, or the table it belongs to. */
    private static boolean covered(Set<String> keys, Change c) {
        if (keys.contains(key(c.kind(), c.name()))) {
            return true;
        }
        String name = c.name();
        for (int dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
            if (keys.contains(key("table", name.substring(0, dot)))) {
                return true;
            }
        }
        return false;
    }
}
