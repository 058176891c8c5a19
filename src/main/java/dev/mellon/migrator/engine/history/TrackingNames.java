package dev.mellon.migrator.engine.history;

import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which migration each tracking row records, by the row's hash, as the {@code name} drizzle-orm 1.0 expects. A table
 * that 0.x wrote has no names; drizzle-orm 1.0 upgrades it by giving each row the only directory in the second of its
 * {@code created_at}, without looking at the hash, and commits that before it runs anything. Two migrations made in
 * the same second, or a {@code when} someone edited, then name a row after the wrong migration, and that migration
 * runs again. Here the hash decides: a row takes the migration with its hash; the second of {@code created_at} only
 * chooses among migrations whose files are identical (unedited custom migrations hash alike).
 *
 * <p>A row already named after a migration with its hash keeps its name. A named row whose hash is another
 * migration's (a table drizzle-orm 1.0 upgraded wrongly) is renamed. A named row whose hash is no migration's keeps
 * its name when that migration exists: its file was edited after it ran, which the status reports as changed.
 */
public final class TrackingNames {

    /** A row and the name it should carry; {@link #renamed()} when that differs from the name it has. */
    public record Naming(TrackingRow row, String name) {
        boolean renamed() {
            return !name.equals(row.name());
        }
    }

    /**
     * @param namings   every row that records a migration, with its name
     * @param unmatched rows that record no migration of the folder (one deleted or squashed, or another folder's)
     * @param ambiguous rows whose hash several migrations share, where neither the second nor a count decides
     */
    public record Matching(List<Naming> namings, List<TrackingRow> unmatched, List<TrackingRow> ambiguous) {
        public Matching {
            namings = List.copyOf(namings);
            unmatched = List.copyOf(unmatched);
            ambiguous = List.copyOf(ambiguous);
        }

        public boolean complete() {
            return unmatched.isEmpty() && ambiguous.isEmpty();
        }

        public List<Naming> renames() {
            return namings.stream().filter(Naming::renamed).toList();
        }

        /** The rows with the names they should carry; unmatched and ambiguous rows keep theirs. */
        public List<TrackingRow> named(List<TrackingRow> rows) {
            Map<TrackingRow, String> names = new IdentityHashMap<>();
            namings.forEach(n -> names.put(n.row(), n.name()));
            return rows.stream().map(r -> names.containsKey(r) ? new TrackingRow(r.id(), r.hash(), r.createdAt(), names.get(r)) : r)
                    .toList();
        }
    }

    private TrackingNames() {
    }

    public static Matching match(MigrationFolder folder, List<TrackingRow> rows) {
        Map<String, Migration> byName = new LinkedHashMap<>();
        Map<String, List<Migration>> byHash = new LinkedHashMap<>();
        for (Migration m : folder.migrations()) {
            byName.putIfAbsent(m.drizzleName(), m);
            byHash.computeIfAbsent(m.hash(), k -> new ArrayList<>()).add(m);
        }
        List<Naming> namings = new ArrayList<>();
        Set<Migration> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        List<TrackingRow> open = new ArrayList<>();
        for (TrackingRow row : rows) {
            Migration named = row.name() == null ? null : byName.get(row.name());
            if (named != null && named.hash().equals(row.hash())) {
                namings.add(new Naming(row, row.name()));
                taken.add(named);
            } else {
                open.add(row);
            }
        }
        Map<String, List<TrackingRow>> openByHash = new LinkedHashMap<>();
        open.forEach(r -> openByHash.computeIfAbsent(r.hash(), k -> new ArrayList<>()).add(r));
        List<TrackingRow> unmatched = new ArrayList<>();
        List<TrackingRow> ambiguous = new ArrayList<>();
        for (Map.Entry<String, List<TrackingRow>> sameHash : openByHash.entrySet()) {
            List<Migration> candidates = new ArrayList<>(byHash.getOrDefault(sameHash.getKey(), List.of()));
            candidates.removeIf(taken::contains);
            List<TrackingRow> left = new ArrayList<>();
            for (TrackingRow row : sameHash.getValue()) {
                List<Migration> inSecond = candidates.stream().filter(c -> sameSecond(c, row)).toList();
                if (inSecond.size() == 1) {
                    namings.add(new Naming(row, inSecond.get(0).drizzleName()));
                    candidates.remove(inSecond.get(0));
                    taken.add(inSecond.get(0));
                } else {
                    left.add(row);
                }
            }
            if (left.isEmpty()) {
                continue;
            }
            if (candidates.isEmpty()) {
                left.forEach(row -> keepEditedOrUnmatched(row, byName, taken, namings, unmatched));
            } else if (candidates.size() == 1 || candidates.size() == left.size()) {
                // One migration with this hash (a when edited since it ran), or as many identical files as rows:
                // which row names which copy changes nothing that runs.
                for (int i = 0; i < left.size(); i++) {
                    Migration m = candidates.get(Math.min(i, candidates.size() - 1));
                    namings.add(new Naming(left.get(i), m.drizzleName()));
                    taken.add(m);
                }
            } else {
                ambiguous.addAll(left);
            }
        }
        return new Matching(namings, unmatched, ambiguous);
    }

    private static void keepEditedOrUnmatched(TrackingRow row, Map<String, Migration> byName, Set<Migration> taken,
                                              List<Naming> namings, List<TrackingRow> unmatched) {
        Migration named = row.name() == null ? null : byName.get(row.name());
        if (named != null && !taken.contains(named)) {
            namings.add(new Naming(row, row.name()));
            taken.add(named);
        } else {
            unmatched.add(row);
        }
    }

    private static boolean sameSecond(Migration m, TrackingRow row) {
        return row.createdAt() != null && Math.floorDiv(row.createdAt(), 1000) == Math.floorDiv(m.when(), 1000);
    }
}
