package dev.mellon.migrator.engine;

/** A migration this run applied: its tag, journal {@code when}, statement count and time taken. */
public record AppliedMigration(String tag, long when, int statements, long millis) {
}
