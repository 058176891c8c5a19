package dev.mellon.migrator.introspect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PostgreSQL's {@code format_type} text turned into the type strings drizzle-kit writes in snapshots. */
final class TypeNames {

    private static final Pattern VARCHAR = Pattern.compile("character varying(\\(\\d+\\))?");
    private static final Pattern CHAR = Pattern.compile("character(\\(\\d+\\))?");
    private static final Pattern TIMESTAMP = Pattern.compile("timestamp(?:\\((\\d+)\\))? (with|without) time zone");
    private static final Pattern TIME = Pattern.compile("time(?:\\((\\d+)\\))? (with|without) time zone");
    private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+),(\\d+)\\)");
    private static final Pattern BIT_VARYING = Pattern.compile("bit varying(\\(\\d+\\))?");

    private TypeNames() {
    }

    /** One element type (no array suffix). */
    static String drizzle(String formatted) {
        Matcher m;
        if ((m = VARCHAR.matcher(formatted)).matches()) {
            return "varchar" + (m.group(1) == null ? "" : m.group(1));
        }
        if ((m = CHAR.matcher(formatted)).matches()) {
            return "char" + (m.group(1) == null ? "" : m.group(1));
        }
        if ((m = TIMESTAMP.matcher(formatted)).matches()) {
            return "timestamp" + (m.group(1) == null ? "" : " (" + m.group(1) + ")") + (m.group(2).equals("with") ? " with time zone" : "");
        }
        if ((m = TIME.matcher(formatted)).matches()) {
            return "time" + (m.group(1) == null ? "" : "(" + m.group(1) + ")") + (m.group(2).equals("with") ? " with time zone" : "");
        }
        if ((m = NUMERIC.matcher(formatted)).matches()) {
            return "numeric(" + m.group(1) + ", " + m.group(2) + ")";
        }
        if ((m = BIT_VARYING.matcher(formatted)).matches()) {
            return "varbit" + (m.group(1) == null ? "" : m.group(1));
        }
        return formatted;
    }

    /** A full column type: the element type normalised, with one {@code []} per dimension. */
    static String drizzleColumn(String formatted, int dimensions) {
        if (formatted.endsWith("[]")) {
            String element = formatted.substring(0, formatted.length() - 2);
            return drizzle(element) + "[]".repeat(Math.max(1, dimensions));
        }
        return drizzle(formatted);
    }
}
