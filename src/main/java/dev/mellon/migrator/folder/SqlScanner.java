package dev.mellon.migrator.folder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A lexical scanner for PostgreSQL SQL that knows comments (nested block comments too), quoted identifiers, string
 * literals ({@code '…'}, {@code E'…'}) and dollar quotes, so that keywords inside a {@code DO $$ BEGIN … $$} body, a
 * comment or a string are never mistaken for statements. It does not parse SQL: it finds top-level statements and
 * their leading keywords, which is all the engine needs to decide how to run a file.
 */
public final class SqlScanner {

    private static final Set<String> TRANSACTION_CONTROL =
            Set.of("BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT");

    private SqlScanner() {
    }

    /**
     * The top-level statements of {@code sql}, each trimmed and without its terminating semicolon; statements made
     * only of comments and white space are left out.
     */
    public static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        int n = sql.length();
        int start = 0;
        int i = 0;
        boolean meaningful = false;
        // SQL-standard function bodies (BEGIN ATOMIC … END) contain semicolons that do not end the statement.
        int atomicDepth = 0;
        String previousWord = "";
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = skipLineComment(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
            } else if (c == '\'') {
                boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !isIdentifierPart(sql.charAt(i - 2)));
                i = skipString(sql, i, escapes);
                meaningful = true;
            } else if (c == '"') {
                i = skipQuotedIdentifier(sql, i);
                meaningful = true;
            } else if (c == '$' && dollarTagEnd(sql, i) > 0) {
                i = skipDollarQuoted(sql, i);
                meaningful = true;
            } else if (c == ';' && atomicDepth == 0) {
                addStatement(out, sql.substring(start, i), meaningful);
                start = i + 1;
                i++;
                meaningful = false;
                previousWord = "";
            } else if (isIdentifierStart(c)) {
                int end = i;
                while (end < n && isIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                String word = sql.substring(i, end).toUpperCase(Locale.ROOT);
                if (word.equals("ATOMIC") && previousWord.equals("BEGIN")) {
                    atomicDepth++;
                } else if (atomicDepth > 0 && word.equals("CASE")) {
                    atomicDepth++;
                } else if (atomicDepth > 0 && word.equals("END")) {
                    atomicDepth--;
                }
                previousWord = word;
                meaningful = true;
                i = end;
            } else {
                if (!Character.isWhitespace(c)) {
                    meaningful = true;
                }
                i++;
            }
        }
        addStatement(out, sql.substring(start), meaningful);
        return out;
    }

    /**
     * The first top-level statement of {@code sql} that starts, ends or rolls back a transaction ({@code BEGIN},
     * {@code START TRANSACTION}, {@code COMMIT}, {@code END}, {@code ROLLBACK}, {@code ABORT}), or {@code null}.
     */
    public static String firstTransactionControl(String sql) {
        for (String statement : statements(sql)) {
            String keyword = leadingKeyword(statement);
            if (TRANSACTION_CONTROL.contains(keyword)) {
                // ROLLBACK PREPARED / COMMIT PREPARED act on another transaction; START alone is not SQL.
                return statement;
            }
        }
        return null;
    }

    /** The first keyword of a statement, upper-cased, after any leading comments; empty when there is none. */
    public static String leadingKeyword(String statement) {
        String stripped = stripLeadingComments(statement);
        int end = 0;
        while (end < stripped.length() && isIdentifierPart(stripped.charAt(end))) {
            end++;
        }
        return stripped.substring(0, end).toUpperCase(Locale.ROOT);
    }

    /** The text with leading white space and comments removed. */
    public static String stripLeadingComments(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = skipLineComment(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
            } else {
                break;
            }
        }
        return sql.substring(i);
    }

    private static void addStatement(List<String> out, String text, boolean meaningful) {
        if (meaningful) {
            out.add(text.strip());
        }
    }

    private static int skipLineComment(String sql, int i) {
        int end = sql.indexOf('\n', i);
        return end < 0 ? sql.length() : end + 1;
    }

    private static int skipBlockComment(String sql, int i) {
        int depth = 0;
        int n = sql.length();
        while (i < n) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    private static int skipString(String sql, int i, boolean backslashEscapes) {
        int n = sql.length();
        i++;
        while (i < n) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < n && sql.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    private static int skipQuotedIdentifier(String sql, int i) {
        int n = sql.length();
        i++;
        while (i < n) {
            if (sql.charAt(i) == '"') {
                if (i + 1 < n && sql.charAt(i + 1) == '"') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** The index just past a dollar-quote opening tag ({@code $$} or {@code $tag$}) at {@code i}, or -1. */
    private static int dollarTagEnd(String sql, int i) {
        if (i > 0 && isIdentifierPart(sql.charAt(i - 1))) {
            return -1; // part of an identifier such as a$b, or a positional parameter like $1
        }
        int j = i + 1;
        int n = sql.length();
        if (j < n && sql.charAt(j) == '$') {
            return j + 1;
        }
        if (j >= n || !isIdentifierStart(sql.charAt(j))) {
            return -1;
        }
        while (j < n && isIdentifierPart(sql.charAt(j)) && sql.charAt(j) != '$') {
            j++;
        }
        return j < n && sql.charAt(j) == '$' ? j + 1 : -1;
    }

    private static int skipDollarQuoted(String sql, int i) {
        int tagEnd = dollarTagEnd(sql, i);
        String tag = sql.substring(i, tagEnd);
        int close = sql.indexOf(tag, tagEnd);
        return close < 0 ? sql.length() : close + tag.length();
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
