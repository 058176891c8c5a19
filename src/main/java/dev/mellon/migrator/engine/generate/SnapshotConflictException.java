package dev.mellon.migrator.engine.generate;

/**
 * Two snapshots name the same parent: two branches each generated a migration from it and were merged (drizzle-kit
 * check's "collision"). A new migration would have two possible parents; rebase one of the two first.
 */
public final class SnapshotConflictException extends RuntimeException {

    private final String first;
    private final String second;
    private final String parentId;

    public SnapshotConflictException(String first, String second, String parentId) {
        super("meta/" + first + " and meta/" + second + " both follow the snapshot " + parentId
                + ": two branches generated from the same parent. Rebase one of them (POST /migrations/rebase) first");
        this.first = first;
        this.second = second;
        this.parentId = parentId;
    }

    public String first() {
        return first;
    }

    public String second() {
        return second;
    }

    public String parentId() {
        return parentId;
    }
}
