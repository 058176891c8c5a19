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
        return spans(sql).stream().map(span -> span.text(sql).strip()).toList();
    }

    /**
     * Where a top-level statement lies in the text it was scanned from: {@code start} inclusive, {@code end}
     * exclusive, the terminating semicolon left out.
     */
    public record Span(int start, int end) {
        public String text(String sql) {
            return sql.substring(start, end);
        }
    }

    /** The top-level statements of {@code sql} as places in it; those made only of comments and white space left out. */
    public static List<Span> spans(String sql) {
        List<Span> out = new ArrayList<>();
        int n = sql.length();
        int start = 0;
        int i = 0;
        boolean meaningful = false;
        // SQL-standard function bodies (BEGIN ATOMIC … END) contain semicolons that do not end the statement. Only a
        // CREATE FUNCTION or CREATE PROCEDURE has one, and only where the two words follow each other directly: in
        // "CREATE TABLE begin(atomic int)" they are a table and a column, and the semicolon after them ends it.
        int atomicDepth = 0;
        String previousToken = "";
        List<String> leadingWords = new ArrayList<>();
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
                previousToken = "'";
            } else if (c == '"') {
                i = skipQuotedIdentifier(sql, i);
                meaningful = true;
                previousToken = "\"";
                leadingWords.add("\"");
            } else if (c == '$' && dollarTagEnd(sql, i) > 0) {
                i = skipDollarQuoted(sql, i);
                meaningful = true;
                previousToken = "$";
            } else if (c == ';' && atomicDepth == 0) {
                if (meaningful) {
                    out.add(new Span(start, i));
                }
                start = i + 1;
                i++;
                meaningful = false;
                previousToken = "";
                leadingWords.clear();
            } else if (isIdentifierStart(c)) {
                int end = i;
                while (end < n && isIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                String word = sql.substring(i, end).toUpperCase(Locale.ROOT);
                if (leadingWords.size() < 4) {
                    leadingWords.add(word);
                }
                if (word.equals("ATOMIC") && previousToken.equals("BEGIN") && definesRoutine(leadingWords)) {
                    atomicDepth++;
                } else if (atomicDepth > 0 && word.equals("CASE")) {
                    atomicDepth++;
                } else if (atomicDepth > 0 && word.equals("END")) {
                    atomicDepth--;
                }
                previousToken = word;
                meaningful = true;
                i = end;
            } else {
                if (!Character.isWhitespace(c)) {
                    meaningful = true;
                    previousToken = String.valueOf(c);
                }
                i++;
            }
        }
        if (meaningful) {
            out.add(new Span(start, n));
        }
        return out;
    }

    /** {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}: the only statements a {@code BEGIN ATOMIC} body belongs to. */
    private static boolean definesRoutine(List<String> leadingWords) {
        if (leadingWords.isEmpty() || !leadingWords.get(0).equals("CREATE")) {
            return false;
        }
        int kind = leadingWords.size() > 2 && leadingWords.get(1).equals("OR") && leadingWords.get(2).equals("REPLACE") ? 3 : 1;
        return leadingWords.size() > kind && (leadingWords.get(kind).equals("FUNCTION") || leadingWords.get(kind).equals("PROCEDURE"));
    }

    /** One token of a statement: a word, a quoted identifier, a literal or a punctuation mark, and its nesting. */
    public record Token(Kind kind, String text, int depth) {
        public enum Kind { WORD, QUOTED_IDENTIFIER, LITERAL, PUNCTUATION }

        /** The name a word or quoted identifier stands for, as PostgreSQL folds it. */
        public String name() {
            return kind == Kind.QUOTED_IDENTIFIER ? text.substring(1, text.length() - 1).replace("\"\"", "\"")
                    : text.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The tokens of one statement, comments and white space left out, each with its depth in parentheses. Enough to
     * tell what a statement does ({@code CREATE TABLE t AS …} against {@code CREATE TABLE t (…)}) without parsing it.
     */
    public static List<Token> tokens(String statement) {
        List<Token> out = new ArrayList<>();
        int n = statement.length();
        int depth = 0;
        int i = 0;
        while (i < n) {
            char c = statement.charAt(i);
            int start = i;
            if (c == '-' && i + 1 < n && statement.charAt(i + 1) == '-') {
                i = skipLineComment(statement, i);
            } else if (c == '/' && i + 1 < n && statement.charAt(i + 1) == '*') {
                i = skipBlockComment(statement, i);
            } else if (c == '\'') {
                boolean escapes = i > 0 && (statement.charAt(i - 1) == 'E' || statement.charAt(i - 1) == 'e')
                        && (i < 2 || !isIdentifierPart(statement.charAt(i - 2)));
                i = skipString(statement, i, escapes);
                out.add(new Token(Token.Kind.LITERAL, statement.substring(start, i), depth));
            } else if (c == '"') {
                i = skipQuotedIdentifier(statement, i);
                out.add(new Token(Token.Kind.QUOTED_IDENTIFIER, statement.substring(start, i), depth));
            } else if (c == '$' && dollarTagEnd(statement, i) > 0) {
                i = skipDollarQuoted(statement, i);
                out.add(new Token(Token.Kind.LITERAL, statement.substring(start, i), depth));
            } else if (isIdentifierStart(c)) {
                while (i < n && isIdentifierPart(statement.charAt(i))) {
                    i++;
                }
                out.add(new Token(Token.Kind.WORD, statement.substring(start, i), depth));
            } else {
                i++;
                if (Character.isWhitespace(c)) {
                    continue;
                }
                if (c == ')' && depth > 0) {
                    depth--;
                }
                out.add(new Token(Token.Kind.PUNCTUATION, String.valueOf(c), depth));
                if (c == '(') {
                    depth++;
                }
            }
        }
        return out;
    }

    /**
     * The words of one statement outside parentheses, upper-cased, in order; a quoted identifier stands as
     * {@code "}, a string or dollar-quoted literal as {@code '}, and punctuation is left out.
     */
    public static List<String> topLevelWords(String statement) {
        List<String> out = new ArrayList<>();
        for (Token t : tokens(statement)) {
            if (t.depth() == 0) {
                switch (t.kind()) {
                    case WORD -> out.add(t.text().toUpperCase(Locale.ROOT));
                    case QUOTED_IDENTIFIER -> out.add("\"");
                    case LITERAL -> out.add("'");
                    case PUNCTUATION -> { }
                }
            }
        }
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

    /**
     * The first line of a statement after its leading comments (the comment itself when there is nothing else), cut
     * at 200 characters: how problems and logs name a statement.
     */
    public static String firstLine(String statement) {
        String text = stripLeadingComments(statement).strip();
        if (text.isEmpty()) {
            text = statement.strip();
        }
        int newline = text.indexOf('\n');
        String line = (newline < 0 ? text : text.substring(0, newline)).strip();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
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
