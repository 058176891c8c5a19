package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Column;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether PostgreSQL converts a column to a new type by itself. {@code ALTER COLUMN … SET DATA TYPE} without
 * {@code USING} applies an implicit or assignment cast; where there is none (text to jsonb, varchar to integer, text to
 * uuid) it refuses the statement even on an empty table ("cannot be cast automatically", SQLSTATE 42804), and the
 * migration needs {@code USING "c"::type}. The casts below are PostgreSQL's own (its {@code pg_cast} rows of context
 * implicit or assignment between built-in types, the same from 13 to 17), plus the rule that any type converts to a
 * string type. Types not listed (extension and user types) are left as drizzle-kit writes them: no {@code USING}.
 */
public final class TypeCasts {

    private static final Set<String> STRING_TYPES = Set.of("text", "character varying", "character", "name");

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("varchar", "character varying"), Map.entry("char", "character"), Map.entry("bpchar", "character"),
            Map.entry("int", "integer"), Map.entry("int4", "integer"), Map.entry("int2", "smallint"), Map.entry("int8", "bigint"),
            Map.entry("serial", "integer"), Map.entry("serial4", "integer"), Map.entry("bigserial", "bigint"),
            Map.entry("serial8", "bigint"), Map.entry("smallserial", "smallint"), Map.entry("serial2", "smallint"),
            Map.entry("float4", "real"), Map.entry("float8", "double precision"), Map.entry("float", "double precision"),
            Map.entry("decimal", "numeric"), Map.entry("bool", "boolean"), Map.entry("varbit", "bit varying"),
            Map.entry("timestamp", "timestamp without time zone"), Map.entry("timestamptz", "timestamp with time zone"),
            Map.entry("time", "time without time zone"), Map.entry("timetz", "time with time zone"));

    /** Built-in types whose casts are known here. */
    private static final Set<String> KNOWN = Set.of("smallint", "integer", "bigint", "numeric", "real", "double precision",
            "money", "boolean", "text", "character varying", "character", "name", "bytea", "date", "time without time zone",
            "time with time zone", "timestamp without time zone", "timestamp with time zone", "interval", "uuid", "json",
            "jsonb", "inet", "cidr", "macaddr", "macaddr8", "bit", "bit varying", "point", "line", "lseg", "box", "path",
            "polygon", "circle", "xml", "tsvector", "tsquery", "oid", "int4range", "int8range", "numrange", "tsrange",
            "tstzrange", "daterange");

    /** Source type, then the targets it converts to by an implicit or assignment cast. */
    private static final Map<String, Set<String>> AUTOMATIC = Map.ofEntries(
            Map.entry("smallint", Set.of("integer", "bigint", "numeric", "real", "double precision", "oid")),
            Map.entry("integer", Set.of("smallint", "bigint", "numeric", "real", "double precision", "money", "oid")),
            Map.entry("bigint", Set.of("smallint", "integer", "numeric", "real", "double precision", "money", "oid")),
            Map.entry("numeric", Set.of("smallint", "integer", "bigint", "real", "double precision", "money")),
            Map.entry("real", Set.of("smallint", "integer", "bigint", "numeric", "double precision")),
            Map.entry("double precision", Set.of("smallint", "integer", "bigint", "numeric", "real")),
            Map.entry("money", Set.of("numeric")),
            Map.entry("bit", Set.of("bit varying")),
            Map.entry("bit varying", Set.of("bit")),
            Map.entry("date", Set.of("timestamp without time zone", "timestamp with time zone")),
            Map.entry("time without time zone", Set.of("interval", "time with time zone")),
            Map.entry("time with time zone", Set.of("time without time zone")),
            Map.entry("timestamp without time zone", Set.of("date", "time without time zone", "timestamp with time zone")),
            Map.entry("timestamp with time zone", Set.of("date", "time without time zone", "time with time zone",
                    "timestamp without time zone")),
            Map.entry("interval", Set.of("time without time zone")),
            Map.entry("json", Set.of("jsonb")),
            Map.entry("jsonb", Set.of("json")),
            Map.entry("cidr", Set.of("inet")),
            Map.entry("inet", Set.of("cidr")),
            Map.entry("macaddr", Set.of("macaddr8")),
            Map.entry("macaddr8", Set.of("macaddr")),
            Map.entry("box", Set.of("polygon")),
            Map.entry("path", Set.of("polygon")),
            Map.entry("polygon", Set.of("path")),
            Map.entry("point", Set.of("box")));

    private TypeCasts() {
    }

    /**
     * True when changing {@code from} to {@code to} needs {@code USING}: both are built-in (not enums), and PostgreSQL
     * has no implicit or assignment cast between them.
     */
    public static boolean needsUsing(Column from, Column to) {
        if (from.typeSchema() != null || to.typeSchema() != null) {
            return false;
        }
        String a = from.type().trim().toLowerCase(Locale.ROOT);
        String b = to.type().trim().toLowerCase(Locale.ROOT);
        boolean arrayA = a.endsWith("]");
        boolean arrayB = b.endsWith("]");
        String baseA = base(a);
        String baseB = base(b);
        if (!KNOWN.contains(baseA) || !KNOWN.contains(baseB)) {
            return false;
        }
        if (arrayA != arrayB) {
            return true;
        }
        return !baseA.equals(baseB) && !STRING_TYPES.contains(baseB) && !AUTOMATIC.getOrDefault(baseA, Set.of()).contains(baseB);
    }

    /** The type's name without array brackets or modifiers, aliases resolved: {@code varchar(20)[]} → character varying. */
    static String base(String type) {
        String t = type.replaceAll("\\[\\d*]", "").replaceAll("\\([^)]*\\)", "").replaceAll("\\s+", " ").trim();
        return ALIASES.getOrDefault(t, t);
    }
}
