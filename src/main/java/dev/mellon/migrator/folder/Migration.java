package dev.mellon.migrator.folder;

import java.util.List;

/**
 * One journal entry with its SQL file, read and split exactly as drizzle-orm's migrator does.
 *
 * @param idx         the journal's {@code idx}, or the array position when the entry has none
 * @param tag         the file's base name, taken from the journal
 * @param when        the journal's {@code when}: the value drizzle stores in {@code created_at}
 * @param breakpoints the journal's {@code breakpoints} flag (informational: the pg migrator ignores it)
 * @param hash        lowercase hex SHA-256 of the file as drizzle computes it
 * @param statements  the chunks between {@code --> statement-breakpoint} markers, verbatim, empty ones included
 * @param transactionControl the first top-level {@code BEGIN}/{@code COMMIT}/... statement, or {@code null}: such a
 *                    migration manages its own transaction
 */
public record Migration(int idx, String tag, long when, boolean breakpoints, String hash, List<String> statements,
                        String transactionControl) {

    public Migration {
        statements = List.copyOf(statements);
    }

    /** The file name inside the folder. */
    public String fileName() {
        return tag + ".sql";
    }

    /** True when the file starts, commits or rolls back a transaction itself (an explicit {@code BEGIN; … COMMIT;}). */
    public boolean managesOwnTransaction() {
        return transactionControl != null;
    }
}
