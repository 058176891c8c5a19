package dev.mellon.migrator.engine.edit;

import dev.mellon.migrator.engine.history.MigrationState;

/** A hand-made history record was refused because the entry is not in a state it applies to. Nothing was written. */
public final class HistoryEditRefusedException extends RuntimeException {

    private final String tag;
    private final MigrationState state;
    private final String operation;

    public HistoryEditRefusedException(String tag, MigrationState state, String operation, String why) {
        super("Cannot " + operation + " \"" + tag + "\": it is " + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                + "; " + why);
        this.tag = tag;
        this.state = state;
        this.operation = operation;
    }

    public String tag() {
        return tag;
    }

    public MigrationState state() {
        return state;
    }

    public String operation() {
        return operation;
    }
}
