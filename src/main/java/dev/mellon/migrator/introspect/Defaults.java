package dev.mellon.migrator.introspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.schema.Literal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Column defaults as PostgreSQL prints them, turned into the values drizzle-kit stores in snapshots. */
final class Defaults {

    private static final Pattern NUMBER = Pattern.compile("\\(?(-?\\d+(?:\\.\\d+)?)\\)?");
    /** A string literal with a cast: {@code 'open'::status}, {@code '0'::numeric}, {@code 'x'::character varying}. */
    private static final Pattern CAST_LITERAL = Pattern.compile("('(?:[^']|'')*')::([a-z_\" .]+(?:\\([0-9, ]+\\))?(?:\\[\\])*)");

    private Defaults() {
    }

    static Literal fromPostgres(String expression) {
        if (expression == null) {
            return null;
        }
        String e = expression.strip();
        if (e.equals("true") || e.equals("false")) {
            return Literal.bool(Boolean.parseBoolean(e));
        }
        Matcher number = NUMBER.matcher(e);
        if (number.matches()) {
            return Literal.number(number.group(1));
        }
        Matcher cast = CAST_LITERAL.matcher(e);
        // JSON keeps its cast, as drizzle-kit writes it ('{"a":1}'::jsonb); other literals lose it ('open', '0').
        if (cast.matches() && !cast.group(2).equals("jsonb") && !cast.group(2).equals("json")) {
            return Literal.string(cast.group(1));
        }
        if (cast.matches()) {
            return Literal.string(compactJson(cast.group(1)) + "::" + cast.group(2));
        }
        return Literal.string(e);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** jsonb prints {@code {"a": 1}}; drizzle-kit writes JSON.stringify's {@code {"a":1}}. */
    private static String compactJson(String quoted) {
        String text = quoted.substring(1, quoted.length() - 1).replace("''", "'");
        try {
            return "'" + JSON.writeValueAsString(JSON.readTree(text)).replace("'", "''") + "'";
        } catch (JsonProcessingException e) {
            return quoted;
        }
    }
}
