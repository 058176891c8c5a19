package dev.mellon.migrator.engine.lock;

import java.util.List;

/**
 * Who holds the migration lock of a tracking table and who is waiting for it.
 *
 * @param classId the advisory lock's first key (a fixed namespace)
 * @param objId   the advisory lock's second key (derived from the tracking table's qualified name)
 * @param holder  the session holding it, or {@code null}
 * @param waiters sessions waiting: our polling appliers and any blocked {@code pg_advisory_lock} callers
 */
public record LockStatus(String trackingTable, long classId, long objId, LockSession holder, List<LockSession> waiters) {

    public LockStatus {
        waiters = List.copyOf(waiters);
    }

    /** The same sessions without their query text, which may carry literals a viewer must not read. */
    public LockStatus withoutQueries() {
        return new LockStatus(trackingTable, classId, objId, holder == null ? null : holder.withoutQuery(),
                waiters.stream().map(LockSession::withoutQuery).toList());
    }
}
