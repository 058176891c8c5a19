package dev.mellon.migrator.engine.history;

/**
 * Who ran a migration through this service and how long it took, from the newest matching row of our audit table.
 *
 * @param appliedBy the caller (a token's name and the instance) or the CLI user
 */
public record AuditDetail(String appliedBy, long durationMillis) {
}
