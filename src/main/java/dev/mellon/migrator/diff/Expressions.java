package dev.mellon.migrator.diff;

import java.util.ArrayDeque;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Brings SQL expression text to a form in which drizzle-kit's snapshot text and PostgreSQL's deparsed text compare
 * equal when they mean the same: {@code "users"."active" = true} and {@code (active = true)}; {@code 'open'} and
 * {@code 'open'::status}; {@code 0} and {@code (0)::numeric}. It is a comparison key, never SQL to run.
 */
public final class Expressions {

    private static final Pattern QUALIFIER = Pattern.compile("\"[^\"]+\"\\.(?=\")");
    private static final Pattern SIMPLE_QUOTED = Pattern.compile("\"([a-z_][a-z0-9_$]*)\"");
    private static final Pattern CAST = Pattern.compile(
            "::(?:\"[^\"]+\"|[a-z_][a-z0-9_$]*)(?:\\.(?:\"[^\"]+\"|[a-z_][a-z0-9_$]*))?"
                    + "(?: (?:varying|precision|with time zone|without time zone|with|without|time|zone))*"
                    + "(?:\\(\\d+(?:, ?\\d+)?\\))?(?:\\[\\])*");
    private static final Pattern ANY_ARRAY = Pattern.compile(" ?= ?any ?\\(? ?array ?\\[([^\\]]*)\\] ?\\)?");
    private static final Pattern ALL_ARRAY = Pattern.compile(" ?<> ?all ?\\(? ?array ?\\[([^\\]]*)\\] ?\\)?");
    private static final Pattern QUOTED_SCALAR = Pattern.compile("'(-?\\d+(?:\\.\\d+)?|true|false)'");

    private Expressions() {
    }

    public static String normalize(String sql) {
        if (sql == null) {
            return null;
        }
        String s = lowerOutsideLiterals(sql.strip());
        // PostgreSQL stores "!=" as "<>"; a comparison key only, so a literal holding "!=" changing too is harmless.
        s = s.replace("!=", "<>");
        s = QUALIFIER.matcher(s).replaceAll("");
        s = SIMPLE_QUOTED.matcher(s).replaceAll("$1");
        s = CAST.matcher(s).replaceAll("");
        s = QUOTED_SCALAR.matcher(s).replaceAll("$1");
        s = stripArrayQuotes(s);
        s = collapseWhitespaceOutsideLiterals(s, " ");
        // Grouping parentheses go while "f(" still tells a call from "x (": PostgreSQL adds and drops them freely.
        s = removeGroupingParentheses(s);
        // PostgreSQL stores "x IN (a, b)" as "x = ANY (ARRAY[a, b])", and "NOT IN" as "<> ALL".
        s = ANY_ARRAY.matcher(s).replaceAll(" in $1");
        s = ALL_ARRAY.matcher(s).replaceAll(" not in $1");
        return collapseWhitespaceOutsideLiterals(s, "");
    }

    /**
     * True when the two expressions mean the same as far as drift goes: equal after {@link #normalize}, or two
     * literals holding equal JSON documents (jsonb reorders keys and respaces).
     */
    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        String x = normalize(a);
        String y = normalize(b);
        return x.equals(y) || sameJson(a, b);
    }

    /**
     * True when the SQL text names {@code identifier}, quoted or not, as a whole word. Judged from the text alone: a
     * literal or another object's qualifier holding the name counts too, so callers use it where erring is safe.
     */
    static boolean mentions(String sql, String identifier) {
        return Pattern.compile("(?<![\\w$])\"?" + Pattern.quote(identifier) + "\"?(?![\\w$])").matcher(sql).find();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static boolean sameJson(String a, String b) {
        String x = CAST.matcher(a.strip()).replaceAll("");
        String y = CAST.matcher(b.strip()).replaceAll("");
        if (!(isLiteral(x) && isLiteral(y))) {
            return false;
        }
        try {
            return JSON.readTree(unquoteLiteral(x)).equals(JSON.readTree(unquoteLiteral(y)));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean isLiteral(String s) {
        return s.length() >= 2 && s.startsWith("'") && s.endsWith("'");
    }

    private static String unquoteLiteral(String s) {
        return s.substring(1, s.length() - 1).replace("''", "'");
    }

    /** Sees each character with whether it stands inside a string literal or a quoted identifier. */
    @FunctionalInterface
    private interface CharSink {
        void accept(char c, boolean quoted, StringBuilder out);
    }

    /** Walks {@code s} keeping track of {@code '…'} and {@code "…"}; the quote characters count as quoted. */
    private static String walk(String s, CharSink sink) {
        StringBuilder out = new StringBuilder(s.length());
        boolean inString = false;
        boolean inIdentifier = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean toggles = c == '\'' && !inIdentifier || c == '"' && !inString;
            if (c == '\'' && !inIdentifier) {
                inString = !inString;
            } else if (c == '"' && !inString) {
                inIdentifier = !inIdentifier;
            }
            sink.accept(c, toggles || inString || inIdentifier, out);
        }
        return out.toString();
    }

    /**
     * Drops parentheses that only group (not those of a function call or a literal), since PostgreSQL's deparser
     * adds them freely: {@code date_trunc('minute', (created_at AT TIME ZONE 'UTC'))}. A comparison key only.
     */
    private static String removeGroupingParentheses(String s) {
        ArrayDeque<Boolean> kept = new ArrayDeque<>();
        return walk(s, (c, quoted, out) -> {
            if (!quoted && c == '(') {
                boolean call = out.length() > 0 && isCallee(out.charAt(out.length() - 1));
                kept.push(call);
                if (call) {
                    out.append(c);
                }
            } else if (!quoted && c == ')') {
                if (kept.isEmpty() || kept.pop()) {
                    out.append(c);
                }
            } else {
                out.append(c);
            }
        });
    }

    private static boolean isCallee(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '"';
    }

    /** A type string compared the same way: {@code timestamp (3)} and {@code timestamp(3)}, case and spaces aside. */
    public static String normalizeType(String type) {
        return type == null ? null : type.toLowerCase(Locale.ROOT).replace(" ", "").replace("\"", "");
    }

    private static String lowerOutsideLiterals(String s) {
        return walk(s, (c, quoted, out) -> out.append(quoted ? c : Character.toLowerCase(c)));
    }

    /** Each run of white space outside literals becomes {@code replacement}. */
    private static String collapseWhitespaceOutsideLiterals(String s, String replacement) {
        boolean[] pending = {false};
        return walk(s, (c, quoted, out) -> {
            if (!quoted && Character.isWhitespace(c)) {
                pending[0] = true;
                return;
            }
            if (pending[0] && out.length() > 0) {
                out.append(replacement);
            }
            pending[0] = false;
            out.append(c);
        });
    }

    /** {@code '{"a","b"}'} (drizzle) and {@code '{a,b}'} (PostgreSQL) are the same array literal. */
    private static String stripArrayQuotes(String s) {
        if (s.startsWith("'{") && s.endsWith("}'")) {
            return s.replace("\"", "");
        }
        return s;
    }
}
