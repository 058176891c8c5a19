package dev.mellon.migrator.folder;

import java.util.List;

/**
 * One migration (a journal entry, or a 1.0 migration directory) with its SQL file, read and split exactly as drizzle-orm's migrator does.
 *
 * @param idx         the journal's {@code idx}, or the array position when the entry has none
 * @param tag         the file's base name, taken from the journal
 * @param when        the journal's {@code when}: the value drizzle stores in {@code created_at}
 * @param breakpoints the journal's {@code breakpoints} flag (informational: the pg migrator ignores it)
 * @param hash        lowercase hex SHA-256 of the file as drizzle computes it
 * @param statements  the chunks between {@code --> statement-breakpoint} markers, verbatim, empty ones included
 * @param transactionControl the first top-level {@code BEGIN}/{@code COMMIT}/... statement, or {@code null}: such a
 *                    migration manages its own transaction
 * @param format      the layout the migration was read from: it decides the file names, and whether drizzle matches
 *                    the migration to its tracking row by {@code when} (0.x) or by {@code tag} (1.0)
 * @param drizzleName the {@code name} drizzle-orm 1.0 records for it: the directory's name, or for a journal entry the
 *                    directory the upgrade moves it into ({@link DirectoryNames}), so that a row written before the
 *                    upgrade still matches after it
 */
public record Migration(int idx, String tag, long when, boolean breakpoints, String hash, List<String> statements,
                        String transactionControl, FolderFormat format, String drizzleName) {

    public Migration {
        statements = List.copyOf(statements);
        java.util.Objects.requireNonNull(format, "format");
        java.util.Objects.requireNonNull(drizzleName, "drizzleName");
    }

    /** A migration of a folder in {@code format}, named as it would be alone (not renumbered against its neighbours). */
    public Migration(int idx, String tag, long when, boolean breakpoints, String hash, List<String> statements,
                     String transactionControl, FolderFormat format) {
        this(idx, tag, when, breakpoints, hash, statements, transactionControl, format,
                format == FolderFormat.DIRECTORIES ? tag : FolderFormat.directoryName(tag, when));
    }

    /** A migration of a journal folder. */
    public Migration(int idx, String tag, long when, boolean breakpoints, String hash, List<String> statements,
                     String transactionControl) {
        this(idx, tag, when, breakpoints, hash, statements, transactionControl, FolderFormat.JOURNAL);
    }

    /** The same migration under another drizzle-orm 1.0 name. */
    Migration withDrizzleName(String name) {
        return new Migration(idx, tag, when, breakpoints, hash, statements, transactionControl, format, name);
    }

    /** The SQL file, relative to the folder. */
    public String fileName() {
        return format.sqlFile(tag);
    }

    /** True when the file starts, commits or rolls back a transaction itself (an explicit {@code BEGIN; … COMMIT;}). */
    public boolean managesOwnTransaction() {
        return transactionControl != null;
    }
}
