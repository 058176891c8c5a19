package dev.mellon.migrator.folder;

import java.util.ArrayList;
import java.util.List;

/**
 * The directories a journal folder's entries move into when it becomes a drizzle-kit 1.0 folder. drizzle-kit up names
 * each after the UTC second of its {@code when} and the tag after its prefix, and refuses when that name would sort
 * before its predecessor's (two entries in one second out of name order, or a {@code when} that goes back), asking
 * for {@code when} to be edited by hand. Here such an entry is moved instead to the second after its predecessor's,
 * so the directories sort in the journal's order, and the move is said.
 */
public final class DirectoryNames {

    /**
     * @param tag       the journal entry
     * @param directory its directory
     * @param shiftedBy seconds past its own {@code when} the directory is dated, to keep the order; 0 where drizzle-kit
     *                  up gives the same name
     */
    public record Move(String tag, String directory, long shiftedBy) {
    }

    private DirectoryNames() {
    }

    /** The moves of the journal's entries, in journal order. */
    public static List<Move> of(List<Migration> journalOrder) {
        List<Move> moves = new ArrayList<>(journalOrder.size());
        String previous = null;
        long previousSecond = Long.MIN_VALUE;
        for (Migration m : journalOrder) {
            long second = Math.floorDiv(m.when(), 1000);
            String name = FolderFormat.directoryName(m.tag(), m.when());
            if (previous != null && !sortsAfter(name, previous)) {
                second = previousSecond + 1;
                name = FolderFormat.directoryName(m.tag(), second * 1000);
            }
            moves.add(new Move(m.tag(), name, second - Math.floorDiv(m.when(), 1000)));
            previous = name;
            previousSecond = second;
        }
        return moves;
    }

    /**
     * drizzle-kit's test that a directory comes after its parent: later both as plain strings and as
     * {@code localeCompare} sorts them, so that any tool's order agrees.
     */
    static boolean sortsAfter(String directory, String parent) {
        return directory.compareTo(parent) > 0 && DirectoryOrder.INSTANCE.compare(directory, parent) > 0;
    }

    /** The entries with the names their directories will have. */
    static List<Migration> named(List<Migration> journalOrder) {
        List<Move> moves = of(journalOrder);
        List<Migration> named = new ArrayList<>(journalOrder.size());
        for (int i = 0; i < journalOrder.size(); i++) {
            named.add(journalOrder.get(i).withDrizzleName(moves.get(i).directory()));
        }
        return named;
    }
}
