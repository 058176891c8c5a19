package dev.mellon.migrator.engine.rollback;

import dev.mellon.migrator.diff.Hazard;

import java.util.List;

/** A rollback was refused before anything ran: nothing was executed and no tracking row was touched. */
public final class RollbackRefusedException extends RuntimeException {

    /** Why: entries without a down, downs that lose data, entries in range that are not cleanly applied, or the target. */
    public enum Reason {
        NO_DOWN("no-down"), DATA_LOSS("data-loss"), NOT_APPLIED("not-applied"), TARGET_NOT_APPLIED("target-not-applied");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private final Reason reason;
    private final List<String> tags;
    private final List<Hazard> hazards;

    public RollbackRefusedException(Reason reason, List<String> tags, List<Hazard> hazards, String message) {
        super(message);
        this.reason = reason;
        this.tags = List.copyOf(tags);
        this.hazards = List.copyOf(hazards);
    }

    public Reason reason() {
        return reason;
    }

    /** The entries concerned, newest first. */
    public List<String> tags() {
        return tags;
    }

    /** For {@link Reason#DATA_LOSS}: the hazards that lose data. */
    public List<Hazard> hazards() {
        return hazards;
    }
}
