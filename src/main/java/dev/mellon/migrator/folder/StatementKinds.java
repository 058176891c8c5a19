package dev.mellon.migrator.folder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What kind of statement a top-level statement (one from {@link SqlScanner#statements}) is, as far as running it is
 * concerned: whether PostgreSQL refuses it inside a transaction block (SQLSTATE 25001), which enum values it adds,
 * and which index a concurrent build creates. The statement's leading comments are ignored; its words are compared
 * case-insensitively, and literals and quoted identifiers are never mistaken for keywords because only the statement's
 * leading keywords are read.
 */
public final class StatementKinds {

    private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)";
    private static final String QUALIFIED = NAME + "(?:\\s*\\.\\s*" + NAME + ")?";

    /** Statements PostgreSQL runs only outside a transaction block, by their leading words. */
    private static final List<Pattern> OUTSIDE_TRANSACTION = List.of(
            Pattern.compile("^CREATE\\s+(UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\b"),
            Pattern.compile("^DROP\\s+INDEX\\s+CONCURRENTLY\\b"),
            Pattern.compile("^REINDEX\\s+(\\([^)]*\\)\\s*)?(INDEX|TABLE|SCHEMA|DATABASE|SYSTEM)\\s+CONCURRENTLY\\b"),
            Pattern.compile("^REINDEX\\s+\\([^)]*CONCURRENTLY[^)]*\\)"),
            Pattern.compile("^VACUUM\\b"),
            Pattern.compile("^(CREATE|DROP)\\s+DATABASE\\b"),
            Pattern.compile("^(CREATE|DROP)\\s+TABLESPACE\\b"),
            Pattern.compile("^ALTER\\s+SYSTEM\\b"),
            Pattern.compile("^ALTER\\s+DATABASE\\s+" + NAME + "\\s+SET\\s+TABLESPACE\\b"),
            Pattern.compile("^(CREATE|ALTER|DROP)\\s+SUBSCRIPTION\\b"),
            Pattern.compile("^ALTER\\s+TABLE\\b.*\\bDETACH\\s+PARTITION\\b.*\\bCONCURRENTLY\\b", Pattern.DOTALL));

    private static final Pattern ADD_VALUE = Pattern.compile(
            "^ALTER\\s+TYPE\\s+" + QUALIFIED + "\\s+ADD\\s+VALUE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?'((?:[^']|'')*)'",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern CONCURRENT_INDEX = Pattern.compile(
            "^CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(" + NAME + ")\\s+ON\\s+(?:ONLY\\s+)?("
                    + QUALIFIED + ")", Pattern.CASE_INSENSITIVE);

    private static final Pattern CREATE_INDEX = Pattern.compile(
            "^CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(?:CONCURRENTLY\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(" + NAME + ")\\s+ON\\s+(?:ONLY\\s+)?("
                    + QUALIFIED + ")", Pattern.CASE_INSENSITIVE);

    /** Concurrent builds of an index: a failed or killed one leaves an INVALID index behind. */
    private static final List<Pattern> CONCURRENT_BUILD = List.of(OUTSIDE_TRANSACTION.get(0), OUTSIDE_TRANSACTION.get(2),
            OUTSIDE_TRANSACTION.get(3));

    private StatementKinds() {
    }

    /**
     * Whether {@code statement} builds an index concurrently ({@code CREATE INDEX CONCURRENTLY}, {@code REINDEX …
     * CONCURRENTLY}), so that a failure or a kill during it leaves an INVALID index.
     */
    public static boolean buildsIndexConcurrently(String statement) {
        String head = normalisedHead(statement);
        return CONCURRENT_BUILD.stream().anyMatch(p -> p.matcher(head).find());
    }

    /**
     * The index a {@code CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON table} creates, concurrent or
     * not; empty for any other statement and for an index without a name.
     */
    public static Optional<ConcurrentIndex> createdIndex(String statement) {
        Matcher m = CREATE_INDEX.matcher(SqlScanner.stripLeadingComments(statement).strip());
        return m.find() ? Optional.of(new ConcurrentIndex(unquote(m.group(1)), m.group(2))) : Optional.empty();
    }

    /** Whether PostgreSQL refuses {@code statement} inside a transaction block. */
    public static boolean refusedInTransaction(String statement) {
        String head = normalisedHead(statement);
        return OUTSIDE_TRANSACTION.stream().anyMatch(p -> p.matcher(head).find());
    }

    /** The value an {@code ALTER TYPE … ADD VALUE '…'} adds, or empty. */
    public static Optional<String> addedEnumValue(String statement) {
        Matcher m = ADD_VALUE.matcher(SqlScanner.stripLeadingComments(statement).strip());
        return m.find() ? Optional.of(m.group(2).replace("''", "'")) : Optional.empty();
    }

    /** Whether {@code statement} quotes {@code value} as a string literal, as a use of a new enum value would. */
    public static boolean mentionsLiteral(String statement, String value) {
        return statement.contains("'" + value.replace("'", "''") + "'");
    }

    /** A concurrent index build: the index's name (unquoted) and its table as written. */
    public record ConcurrentIndex(String name, String table) {
    }

    public static Optional<ConcurrentIndex> concurrentIndex(String statement) {
        Matcher m = CONCURRENT_INDEX.matcher(SqlScanner.stripLeadingComments(statement).strip());
        return m.find() ? Optional.of(new ConcurrentIndex(unquote(m.group(1)), m.group(2))) : Optional.empty();
    }

    /** Every top-level statement of a migration's chunks, in order. */
    public static List<String> topLevelStatements(List<String> chunks) {
        List<String> statements = new ArrayList<>();
        for (String chunk : chunks) {
            statements.addAll(SqlScanner.statements(chunk));
        }
        return statements;
    }

    private static String normalisedHead(String statement) {
        String text = SqlScanner.stripLeadingComments(statement).strip();
        if (text.length() > 400) {
            text = text.substring(0, 400);
        }
        return text.replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }

    private static String unquote(String name) {
        return name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"") : name.toLowerCase(Locale.ROOT);
    }
}
