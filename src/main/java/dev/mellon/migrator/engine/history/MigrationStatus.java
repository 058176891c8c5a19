package dev.mellon.migrator.engine.history;

import dev.mellon.migrator.folder.Migration;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One journal entry and its state.
 *
 * @param row           the tracking row matched to it, or {@code null} when it has none; for {@link MigrationState#MOVED}
 *                      the row with its hash recorded under another {@code created_at}
 * @param appliedAt     when this service applied it, from our audit table; {@code null} when another tool applied it
 * @param candidateRows for {@link MigrationState#AMBIGUOUS} and {@link MigrationState#MOVED}, every row it might own;
 *                      empty otherwise
 * @param progress      for {@link MigrationState#INTERRUPTED}, how far the interrupted run got; {@code null} otherwise
 */
public record MigrationStatus(Migration migration, MigrationState state, TrackingRow row, OffsetDateTime appliedAt,
                              List<TrackingRow> candidateRows, Progress progress) {

    public MigrationStatus {
        candidateRows = List.copyOf(candidateRows);
    }

    public MigrationStatus(Migration migration, MigrationState state, TrackingRow row, OffsetDateTime appliedAt,
                           List<TrackingRow> candidateRows) {
        this(migration, state, row, appliedAt, candidateRows, null);
    }

    /** The same entry, interrupted: a run started it outside a transaction and never wrote its tracking row. */
    MigrationStatus interrupted(Progress progress) {
        return new MigrationStatus(migration, MigrationState.INTERRUPTED, row, appliedAt, candidateRows, progress);
    }

    public MigrationStatus(Migration migration, MigrationState state, TrackingRow row, OffsetDateTime appliedAt) {
        this(migration, state, row, appliedAt, List.of());
    }

    public String tag() {
        return migration.tag();
    }
}
