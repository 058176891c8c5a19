package dev.mellon.migrator.diff;

import java.util.List;

/**
 * The steps from one schema to another, and the drop+create pairs that might have been meant as renames (the plan
 * keeps them as drop+create until the caller passes a hint).
 */
public record DiffResult(List<Change> changes, List<Rename> renameCandidates) {

    public DiffResult {
        changes = List.copyOf(changes);
        renameCandidates = List.copyOf(renameCandidates);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
