package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.check.CheckFinding;
import dev.mellon.migrator.engine.check.FolderCheck;
import dev.mellon.migrator.engine.core.DatabaseErrors;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.StatementKinds;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The INVALID indexes of the target database, each with the migration whose SQL builds an index of
 * that name: for {@code GET /migrations/check?database=true} and for an apply's warnings after a concurrent build.
 * The folder part of the check stays in {@link FolderCheck}, which never touches the database.
 */
public final class InvalidIndexes {

    /** What {@code REINDEX … CONCURRENTLY} names the new index it builds; a failed one leaves it INVALID. */
    private static final Pattern REINDEX_LEFTOVER = Pattern.compile("_ccnew\\d*$");
    /** PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes. */
    private static final int MAX_NAME_BYTES = 63;

    /**
     * One INVALID index.
     *
     * @param migration  the tag of the last journal entry whose SQL creates an index of this name (on this table when
     *                   one does), or {@code null} when none does
     * @param beingBuilt a concurrent build of it runs right now, so it may still become valid
     */
    public record InvalidIndex(String schema, String table, String index, String migration, boolean beingBuilt) {

        public String qualifiedIndex() {
            return schema + "." + index;
        }
    }

    private InvalidIndexes() {
    }

    /** Reads the database's INVALID indexes on a connection of {@code pool} and attributes them to {@code migrations}. */
    public static List<InvalidIndex> find(DataSource pool, List<Migration> migrations) {
        try (Connection connection = pool.getConnection()) {
            return find(connection, migrations);
        } catch (SQLException e) {
            throw DatabaseErrors.translate("The database refused the invalid-index query", e);
        }
    }

    public static List<InvalidIndex> find(Connection connection, List<Migration> migrations) throws SQLException {
        return attribute(InvalidIndexQuery.read(connection), migrations);
    }

    static List<InvalidIndex> attribute(List<InvalidIndexQuery.Row> rows, List<Migration> migrations) {
        List<InvalidIndex> out = new ArrayList<>(rows.size());
        for (InvalidIndexQuery.Row row : rows) {
            out.add(new InvalidIndex(row.schema(), row.table(), row.index(), builtBy(row, migrations), row.beingBuilt()));
        }
        return out;
    }

    /** The last migration that creates an index named like the invalid one, preferring one on the same table. */
    private static String builtBy(InvalidIndexQuery.Row row, List<Migration> migrations) {
        String name = REINDEX_LEFTOVER.matcher(row.index()).replaceFirst("");
        String sameTable = null;
        String sameName = null;
        for (Migration migration : migrations) {
            for (String statement : StatementKinds.topLevelStatements(migration.statements())) {
                Optional<StatementKinds.ConcurrentIndex> created = StatementKinds.createdIndex(statement);
                if (created.isEmpty()) {
                    continue;
                }
                String built = truncate(created.get().name());
                if (built.equals(row.index()) || built.equals(name)) {
                    sameName = migration.tag();
                    if (tableName(created.get().table()).equals(row.table())) {
                        sameTable = migration.tag();
                    }
                }
            }
        }
        return sameTable != null ? sameTable : sameName;
    }

    /** The unqualified, unquoted table name of a table reference as written. */
    private static String tableName(String written) {
        String last = written.strip();
        int dot = lastDotOutsideQuotes(last);
        if (dot >= 0) {
            last = last.substring(dot + 1).strip();
        }
        return last.startsWith("\"") ? last.substring(1, last.length() - 1).replace("\"\"", "\"") : last.toLowerCase(Locale.ROOT);
    }

    private static int lastDotOutsideQuotes(String text) {
        boolean quoted = false;
        int dot = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                dot = i;
            }
        }
        return dot;
    }

    private static String truncate(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_NAME_BYTES) {
            return name;
        }
        int end = name.length();
        while (name.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            end--;
        }
        return name.substring(0, end);
    }

    /** Check findings: an error for each INVALID index, a warning for one whose build is still running. */
    public static List<CheckFinding> findings(List<InvalidIndex> indexes) {
        return findings(indexes, List.of());
    }

    /** The same, naming each index's migration by its file in {@code migrations}' layout. */
    public static List<CheckFinding> findings(List<InvalidIndex> indexes, List<Migration> migrations) {
        List<CheckFinding> findings = new ArrayList<>(indexes.size());
        for (InvalidIndex index : indexes) {
            String file = index.migration() == null ? null : migrations.stream().filter(m -> m.tag().equals(index.migration()))
                    .map(Migration::fileName).findFirst().orElse(index.migration() + ".sql");
            findings.add(index.beingBuilt()
                    ? new CheckFinding("warning", "index-being-built", file, describe(index)
                    + ": a concurrent build of it is running right now")
                    : new CheckFinding("error", "invalid-index", file, describe(index)
                    + ": PostgreSQL maintains it on every write but never uses it, and CREATE INDEX CONCURRENTLY IF NOT EXISTS"
                    + " skips it. Drop it (DROP INDEX CONCURRENTLY) and build it again, or apply with resume when its"
                    + " migration is interrupted"));
        }
        return findings;
    }

    /** One apply warning per INVALID index whose build is not running. */
    public static List<String> warnings(List<InvalidIndex> indexes) {
        return indexes.stream().filter(i -> !i.beingBuilt()).map(InvalidIndexes::describe).toList();
    }

    static String describe(InvalidIndex index) {
        return "Index " + index.qualifiedIndex() + " on " + index.schema() + "." + index.table() + " is INVALID ("
                + (index.migration() == null ? "no migration of the folder creates an index of that name"
                : "built by " + index.migration()) + ")";
    }
}
