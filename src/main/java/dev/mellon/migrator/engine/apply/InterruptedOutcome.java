package dev.mellon.migrator.engine.apply;

import java.util.List;

/**
 * What became of the migrations of a transaction whose connection was lost, as read back on a new session.
 *
 * @param observed   true when the tracking table could be read after the old session was gone
 * @param committed  migrations whose tracking row exists: their work is in the database
 * @param rolledBack migrations without a tracking row whose work ran in the lost transaction, so it was rolled back
 * @param unknown    migrations whose outcome the tracking table cannot tell: all of them when nothing was observed, and
 *                   a file that controls its own transaction, whose statements before the loss may have committed
 * @param unobservedReason why nothing could be observed, or {@code null}
 */
record InterruptedOutcome(boolean observed, List<String> committed, List<String> rolledBack, List<String> unknown,
                          String unobservedReason) {

    InterruptedOutcome {
        committed = List.copyOf(committed);
        rolledBack = List.copyOf(rolledBack);
        unknown = List.copyOf(unknown);
    }

    static InterruptedOutcome unobserved(List<String> interrupted, String reason) {
        return new InterruptedOutcome(false, List.of(), List.of(), interrupted, reason);
    }
}
