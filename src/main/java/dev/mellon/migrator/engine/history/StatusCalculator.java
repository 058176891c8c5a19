package dev.mellon.migrator.engine.history;

import dev.mellon.migrator.folder.FolderFormat;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches journal entries to tracking rows. drizzle itself only compares each {@code when} with the newest
 * {@code created_at}; we match rows by {@code created_at} (then by hash) so that we can also tell which entries that
 * rule would skip forever, and which applied files were edited afterwards.
 *
 * <p>A row is only ever given to an entry when nothing else could claim it. The old first-come assignment handed a
 * row to whichever entry came first, so a re-added file looked applied, and with a shared {@code when} a row could
 * land on the wrong entry (one migration then ran twice, another never). Where the evidence does not single out one
 * assignment the entries are {@link MigrationState#AMBIGUOUS}, not guessed.
 */
public final class StatusCalculator {

    private StatusCalculator() {
    }

    /** The outcome decided for one entry, before the audit table and the high-water mark are consulted. */
    private record Match(MigrationState state, TrackingRow row, List<TrackingRow> candidates) {
    }

    public static StatusReport calculate(MigrationFolder folder, List<TrackingRow> rows, Map<String, OffsetDateTime> appliedAt) {
        if (folder.format() == FolderFormat.DIRECTORIES) {
            return calculateByName(folder, rows, appliedAt);
        }
        List<TrackingRow> nullCreatedAt = nullCreatedAt(rows);
        Long highWater = highWaterMark(rows);
        Set<TrackingRow> claimed = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Migration, Match> matches = new IdentityHashMap<>();
        // Strongest evidence first, so a weaker match can never take a row another entry owns: the rows at each
        // entry's own when; only then rows with its hash under another created_at.
        Map<Long, List<TrackingRow>> rowsByCreatedAt = new HashMap<>();
        for (TrackingRow row : rows) {
            if (row.createdAt() != null) {
                rowsByCreatedAt.computeIfAbsent(row.createdAt(), k -> new ArrayList<>()).add(row);
            }
        }
        for (Map.Entry<Long, List<Migration>> sameWhen : byWhen(folder.migrations()).entrySet()) {
            List<TrackingRow> atWhen = rowsByCreatedAt.getOrDefault(sameWhen.getKey(), List.of());
            matchAtWhen(sameWhen.getValue(), atWhen, claimed, matches);
        }
        matchMoved(folder.migrations(), rows, claimed, matches);

        List<MigrationStatus> statuses = new ArrayList<>(folder.migrations().size());
        for (Migration m : folder.migrations()) {
            statuses.add(status(m, matches.get(m), highWater, appliedAt));
        }
        List<TrackingRow> unknown = rows.stream().filter(r -> !claimed.contains(r)).toList();
        return new StatusReport(folder, statuses, unknown, nullCreatedAt, highWater);
    }

    /**
     * A drizzle-kit 1.0 folder, as drizzle-orm 1.0 sees it: a migration is applied when a row carries its name, and
     * there is no high-water mark, so an older directory merged late is simply pending. We still compare the hash (a
     * named row with another hash is CHANGED), and a row without a name (written by a 0.x tool) that carries an
     * unmatched migration's hash makes it MOVED: drizzle-orm 1.0 would run that SQL again.
     */
    private static StatusReport calculateByName(MigrationFolder folder, List<TrackingRow> rows, Map<String, OffsetDateTime> appliedAt) {
        Map<String, List<TrackingRow>> byName = new HashMap<>();
        for (TrackingRow row : rows) {
            if (row.name() != null) {
                byName.computeIfAbsent(row.name(), k -> new ArrayList<>()).add(row);
            }
        }
        Set<TrackingRow> claimed = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Migration, Match> matches = new IdentityHashMap<>();
        for (Migration m : folder.migrations()) {
            List<TrackingRow> named = byName.getOrDefault(m.tag(), List.of());
            if (named.isEmpty()) {
                continue;
            }
            TrackingRow same = named.stream().filter(r -> r.hash().equals(m.hash())).findFirst().orElse(null);
            // Every row with this name is this migration's to drizzle-orm 1.0: a second one is a duplicate, not unknown.
            claimed.addAll(named);
            matches.put(m, same != null ? new Match(MigrationState.APPLIED, same, List.of())
                    : new Match(MigrationState.CHANGED, named.get(0), List.of()));
        }
        List<TrackingRow> unnamed = rows.stream().filter(r -> r.name() == null).toList();
        matchMoved(folder.migrations(), unnamed, claimed, matches);
        List<MigrationStatus> statuses = new ArrayList<>(folder.migrations().size());
        for (Migration m : folder.migrations()) {
            statuses.add(status(m, matches.get(m), null, appliedAt));
        }
        List<TrackingRow> unknown = rows.stream().filter(r -> !claimed.contains(r)).toList();
        return new StatusReport(folder, statuses, unknown, nullCreatedAt(rows), highWaterMark(rows));
    }

    private static List<TrackingRow> nullCreatedAt(List<TrackingRow> rows) {
        return rows.stream().filter(r -> r.createdAt() == null).toList();
    }

    /** The largest {@code created_at}, or {@code null} when no row has one. */
    private static Long highWaterMark(List<TrackingRow> rows) {
        return rows.stream().map(TrackingRow::createdAt).filter(java.util.Objects::nonNull).max(Long::compare).orElse(null);
    }

    private static MigrationStatus status(Migration m, Match match, Long highWater, Map<String, OffsetDateTime> appliedAt) {
        if (match == null) {
            boolean skippedByDrizzle = highWater != null && m.when() <= highWater;
            return new MigrationStatus(m, skippedByDrizzle ? MigrationState.OUT_OF_ORDER : MigrationState.PENDING, null, null);
        }
        TrackingRow row = match.row();
        return switch (match.state()) {
            case APPLIED -> new MigrationStatus(m, MigrationState.APPLIED, row, appliedAt.get(auditKey(m)));
            case CHANGED -> {
                // An edit someone accepted earlier (allowChanged) is in our audit table under the new hash.
                OffsetDateTime accepted = appliedAt.get(auditKey(m));
                yield accepted != null
                        ? new MigrationStatus(m, MigrationState.APPLIED, row, accepted)
                        : new MigrationStatus(m, MigrationState.CHANGED, row, lookup(appliedAt, auditKey(row, m)));
            }
            case MOVED -> new MigrationStatus(m, MigrationState.MOVED, row, lookup(appliedAt, auditKey(row, m)), match.candidates());
            default -> new MigrationStatus(m, match.state(), row, null, match.candidates());
        };
    }

    private static OffsetDateTime lookup(Map<String, OffsetDateTime> appliedAt, String key) {
        return key == null ? null : appliedAt.get(key);
    }

    /** Entries grouped by {@code when}, groups in the order their first entry appears. */
    private static Map<Long, List<Migration>> byWhen(List<Migration> migrations) {
        Map<Long, List<Migration>> groups = new LinkedHashMap<>();
        for (Migration m : migrations) {
            groups.computeIfAbsent(m.when(), k -> new ArrayList<>()).add(m);
        }
        return groups;
    }

    /**
     * The entries sharing one {@code when} against the rows recorded at it. Exact (when, hash) pairs first: as many
     * rows as entries (or more: a copy from a doubled drizzle run, left unclaimed) is applied; fewer rows than
     * entries with that pair cannot say which entry ran. What is left is CHANGED only as a one-to-one pair;
     * anything else that still meets at this {@code when} is AMBIGUOUS.
     */
    private static void matchAtWhen(List<Migration> entries, List<TrackingRow> rowsAtWhen, Set<TrackingRow> claimed,
                                    Map<Migration, Match> matches) {
        List<Migration> unmatched = new ArrayList<>();
        List<Migration> ambiguous = new ArrayList<>();
        List<TrackingRow> ambiguousRows = new ArrayList<>();
        Map<String, List<Migration>> byHash = new LinkedHashMap<>();
        entries.forEach(m -> byHash.computeIfAbsent(m.hash(), k -> new ArrayList<>()).add(m));
        for (Map.Entry<String, List<Migration>> sameHash : byHash.entrySet()) {
            List<Migration> group = sameHash.getValue();
            List<TrackingRow> exact = rowsAtWhen.stream().filter(r -> r.hash().equals(sameHash.getKey())).toList();
            if (exact.isEmpty()) {
                unmatched.addAll(group);
            } else if (exact.size() >= group.size()) {
                for (int i = 0; i < group.size(); i++) {
                    matches.put(group.get(i), new Match(MigrationState.APPLIED, exact.get(i), List.of()));
                    claimed.add(exact.get(i));
                }
            } else {
                ambiguous.addAll(group);
                ambiguousRows.addAll(exact);
            }
        }
        // Rows with an exact pair (copies included) are accounted for; only the others can explain an edited file.
        List<TrackingRow> others = rowsAtWhen.stream().filter(r -> !byHash.containsKey(r.hash())).toList();
        if (!ambiguous.isEmpty() && !others.isEmpty()) {
            // Any of these rows might be any of these entries', edited or not.
            ambiguous.addAll(unmatched);
            ambiguousRows.addAll(others);
        } else if (unmatched.size() == 1 && others.size() == 1) {
            matches.put(unmatched.get(0), new Match(MigrationState.CHANGED, others.get(0), List.of()));
            claimed.add(others.get(0));
        } else if (!unmatched.isEmpty() && !others.isEmpty()) {
            ambiguous.addAll(unmatched);
            ambiguousRows.addAll(others);
        }
        for (Migration m : ambiguous) {
            matches.put(m, new Match(MigrationState.AMBIGUOUS, null, ambiguousRows));
        }
        claimed.addAll(ambiguousRows);
    }

    /**
     * Entries still without a row that share their hash with rows nobody claimed: the same SQL ran before under
     * another {@code created_at} (or a NULL one). Every such entry is MOVED and owns every such row, because which of
     * them the row belonged to does not change what must be decided: the bytes already ran once.
     */
    private static void matchMoved(List<Migration> migrations, List<TrackingRow> rows, Set<TrackingRow> claimed,
                                   Map<Migration, Match> matches) {
        Map<String, List<TrackingRow>> unclaimedByHash = new HashMap<>();
        for (TrackingRow row : rows) {
            if (!claimed.contains(row)) {
                unclaimedByHash.computeIfAbsent(row.hash(), k -> new ArrayList<>()).add(row);
            }
        }
        Map<Migration, List<TrackingRow>> found = new IdentityHashMap<>();
        for (Migration m : migrations) {
            if (!matches.containsKey(m)) {
                List<TrackingRow> sameHash = unclaimedByHash.getOrDefault(m.hash(), List.of());
                if (!sameHash.isEmpty()) {
                    found.put(m, List.copyOf(sameHash));
                }
            }
        }
        found.forEach((m, sameHash) -> {
            matches.put(m, new Match(MigrationState.MOVED, sameHash.get(0), sameHash));
            claimed.addAll(sameHash);
        });
    }

    /**
     * Marks the entries a run left part-done outside a transaction. Only entries without a tracking row can be
     * interrupted; a marker beside an applied entry (impossible, as the row and the marker's removal commit together)
     * is ignored.
     */
    static StatusReport withProgress(StatusReport report, List<Progress> progress) {
        if (progress.isEmpty()) {
            return report;
        }
        Map<String, Progress> markers = new HashMap<>();
        for (Progress p : progress) {
            markers.putIfAbsent(p.when() + ":" + p.tag(), p);
        }
        List<MigrationStatus> statuses = new ArrayList<>(report.migrations().size());
        for (MigrationStatus status : report.migrations()) {
            Progress marker = markers.get(status.migration().when() + ":" + status.tag());
            boolean notApplied = status.state() == MigrationState.PENDING || status.state() == MigrationState.OUT_OF_ORDER
                    || status.state() == MigrationState.MOVED;
            statuses.add(marker != null && notApplied ? status.interrupted(marker) : status);
        }
        return report.withMigrations(statuses);
    }

    /**
     * How our audit rows are matched to journal entries: the journal {@code when} and the hash that was applied (a
     * journal's tags may be renamed, its {@code when} values are what drizzle matches).
     */
    static String auditKey(long when, String hash) {
        return when + ":" + hash;
    }

    /**
     * How our audit rows are matched to 1.0 directories: the name and the hash that was applied (several directories
     * may share a second, and the name is what drizzle matches).
     */
    static String auditKey(String tag, String hash) {
        return tag + "/" + hash;
    }

    /** The audit key of a migration in its folder's format. */
    public static String auditKey(Migration m) {
        return m.format() == FolderFormat.DIRECTORIES ? auditKey(m.tag(), m.hash()) : auditKey(m.when(), m.hash());
    }

    /** The audit key of what a tracking row recorded: by name where it has one and the folder matches by name. */
    private static String auditKey(TrackingRow row, Migration m) {
        if (m.format() == FolderFormat.DIRECTORIES && row.name() != null) {
            return auditKey(row.name(), row.hash());
        }
        return row.createdAt() == null ? null : auditKey(row.createdAt(), row.hash());
    }
}
