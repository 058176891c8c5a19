package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.ExecutionMode;

/**
 * A migration this run applied: its tag, journal {@code when}, statement count and time taken, and how it ran.
 *
 * @param mode        {@code transaction}, {@code no-transaction} or {@code self-managed} (see {@link ExecutionMode})
 * @param resumedFrom for a migration an earlier run left interrupted, how many of its statements were already done;
 *                    {@code null} otherwise
 */
public record AppliedMigration(String tag, long when, int statements, long millis, String mode, Integer resumedFrom) {
}
