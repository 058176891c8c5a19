package dev.mellon.migrator.engine.rollback;

/**
 * An entry has no down migration: no hand-written {@code <tag>.down.sql} beside it, and none can be computed from its
 * snapshots (one is missing, or its SQL is not what its snapshots give, as in a custom migration).
 */
public final class NoDownMigrationException extends RuntimeException {

    private final String tag;

    public NoDownMigrationException(String tag, String why) {
        super("\"" + tag + "\" has no down migration: " + why + ". Write " + tag + ".down.sql beside it (statements split on "
                + "--> statement-breakpoint, like the up file)");
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
