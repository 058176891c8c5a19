package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.ExecutionMode;
import dev.mellon.migrator.engine.lock.LockService;

/**
 * Hears an apply's progress as it happens, for live displays (the event stream of {@code POST /migrations/apply}).
 * Called on the applying thread between statements: a listener must return quickly and must not throw; whatever it
 * does, the apply goes on. It hears the wait for the lock as {@link LockService.Waiting}.
 */
public interface ApplyListener extends LockService.Waiting {

    ApplyListener NONE = new ApplyListener() {
    };

    /** @param statements how many statements it runs in its mode */
    default void migrationStarted(String tag, ExecutionMode mode, int statements) {
    }

    /** @param index 1-based */
    default void statementDone(String tag, int index, int statements) {
    }

    /** Its statements are done; its tracking row is written with the transaction's commit. */
    default void migrationDone(String tag, long millis) {
    }
}
