package dev.mellon.migrator.engine;

import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Matches journal entries to tracking rows. drizzle itself only compares each {@code when} with the newest
 * {@code created_at}; we match rows by {@code created_at} (then by hash) so that we can also tell which entries that
 * rule would skip forever, and which applied files were edited afterwards.
 */
final class StatusCalculator {

    private StatusCalculator() {
    }

    static StatusReport calculate(MigrationFolder folder, List<TrackingRow> rows, Map<String, OffsetDateTime> appliedAt) {
        Map<Long, LinkedList<TrackingRow>> byCreatedAt = new HashMap<>();
        Map<String, LinkedList<TrackingRow>> byHash = new HashMap<>();
        List<TrackingRow> nullCreatedAt = new ArrayList<>();
        Long highWater = null;
        for (TrackingRow row : rows) {
            if (row.createdAt() == null) {
                nullCreatedAt.add(row);
            } else {
                byCreatedAt.computeIfAbsent(row.createdAt(), k -> new LinkedList<>()).add(row);
                highWater = highWater == null ? row.createdAt() : Math.max(highWater, row.createdAt());
            }
            byHash.computeIfAbsent(row.hash(), k -> new LinkedList<>()).add(row);
        }
        Set<TrackingRow> claimed = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Migration, TrackingRow> applied = new IdentityHashMap<>();
        Map<Migration, TrackingRow> changed = new IdentityHashMap<>();
        // Three passes, strongest evidence first, so that a weaker match can never take a row another entry owns:
        // (when, hash) equal; then when equal (the file changed after it was applied); then hash equal (the journal's
        // when was edited after it was applied).
        for (Migration m : folder.migrations()) {
            TrackingRow row = take(byCreatedAt.get(m.when()), r -> r.hash().equals(m.hash()), claimed);
            if (row != null) {
                applied.put(m, row);
            }
        }
        for (Migration m : folder.migrations()) {
            TrackingRow row = applied.containsKey(m) ? null : take(byCreatedAt.get(m.when()), r -> true, claimed);
            if (row != null) {
                changed.put(m, row);
            }
        }
        for (Migration m : folder.migrations()) {
            if (!applied.containsKey(m) && !changed.containsKey(m)) {
                TrackingRow row = take(byHash.get(m.hash()), r -> true, claimed);
                if (row != null) {
                    applied.put(m, row);
                }
            }
        }
        List<MigrationStatus> statuses = new ArrayList<>(folder.migrations().size());
        for (Migration m : folder.migrations()) {
            TrackingRow row;
            if ((row = applied.get(m)) != null) {
                statuses.add(new MigrationStatus(m, MigrationState.APPLIED, row, appliedAt.get(auditKey(m.when(), m.hash()))));
            } else if ((row = changed.get(m)) != null) {
                // An edit someone accepted earlier (allowChanged) is in our audit table under the new hash.
                OffsetDateTime accepted = appliedAt.get(auditKey(m.when(), m.hash()));
                statuses.add(accepted != null
                        ? new MigrationStatus(m, MigrationState.APPLIED, row, accepted)
                        : new MigrationStatus(m, MigrationState.CHANGED, row, appliedAt.get(auditKey(row.createdAt(), row.hash()))));
            } else if (highWater != null && m.when() <= highWater) {
                statuses.add(new MigrationStatus(m, MigrationState.OUT_OF_ORDER, null, null));
            } else {
                statuses.add(new MigrationStatus(m, MigrationState.PENDING, null, null));
            }
        }
        List<TrackingRow> unknown = rows.stream().filter(r -> !claimed.contains(r)).toList();
        return new StatusReport(folder, statuses, unknown, nullCreatedAt);
    }

    /** How our audit rows are matched to entries: the journal {@code when} and the hash that was applied. */
    static String auditKey(long when, String hash) {
        return when + ":" + hash;
    }

    private static TrackingRow take(List<TrackingRow> candidates, Predicate<TrackingRow> accept,
                                    Set<TrackingRow> claimed) {
        if (candidates == null) {
            return null;
        }
        for (TrackingRow row : candidates) {
            if (!claimed.contains(row) && accept.test(row)) {
                claimed.add(row);
                return row;
            }
        }
        return null;
    }
}
