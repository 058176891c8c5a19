package dev.mellon.migrator.engine.history;

import dev.mellon.migrator.engine.core.ExecutionMode;

import java.time.OffsetDateTime;

/**
 * A migration that started outside a transaction and has no tracking row yet: how far it got. It exists from before
 * its first statement until its tracking row is written, in the same transaction that deletes it, so a run that died
 * in between leaves it behind and the next apply can say so instead of running the file again silently.
 *
 * @param statementsDone how many of its statements (top-level statements, or chunks for a self-managed file) completed
 */
public record Progress(String tag, long when, String hash, ExecutionMode mode, int statementsDone, int statementsTotal,
                       OffsetDateTime startedAt, OffsetDateTime updatedAt) {
}
