package dev.mellon.migrator.engine;

import dev.mellon.migrator.folder.Migration;

import java.time.OffsetDateTime;

/**
 * One journal entry and its state.
 *
 * @param row       the tracking row matched to it, or {@code null} when it has none
 * @param appliedAt when this service applied it, from our audit table; {@code null} when another tool applied it
 */
public record MigrationStatus(Migration migration, MigrationState state, TrackingRow row, OffsetDateTime appliedAt) {

    public String tag() {
        return migration.tag();
    }
}
