package dev.mellon.migrator.introspect;

import dev.mellon.migrator.schema.Literal;

import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PostgreSQL arrays from the catalog (names, attribute numbers, reloptions) as Java values. */
final class CatalogArrays {

    private CatalogArrays() {
    }

    static List<String> strings(Array array) throws SQLException {
        List<String> out = new ArrayList<>();
        if (array != null) {
            for (Object o : (Object[]) array.getArray()) {
                out.add((String) o);
            }
        }
        return out;
    }

    static int[] ints(Array array) throws SQLException {
        if (array == null) {
            return new int[0];
        }
        Object[] values = (Object[]) array.getArray();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).intValue();
        }
        return out;
    }

    static List<String> names(Map<Integer, String> attributes, Array attnums) throws SQLException {
        List<String> out = new ArrayList<>();
        for (int attnum : ints(attnums)) {
            out.add(attributes.get(attnum));
        }
        return out;
    }

    /** {@code fillfactor=70} becomes {@code {"fillfactor": 70}} with the value's JavaScript type. */
    static Map<String, Literal> options(Array reloptions) throws SQLException {
        Map<String, Literal> out = new LinkedHashMap<>();
        for (String option : strings(reloptions)) {
            int eq = option.indexOf('=');
            String key = option.substring(0, eq);
            String value = option.substring(eq + 1);
            if (value.matches("-?\\d+(\\.\\d+)?")) {
                out.put(key, Literal.number(value));
            } else if (value.equals("true") || value.equals("false") || value.equals("on") || value.equals("off")) {
                out.put(key, Literal.bool(value.equals("true") || value.equals("on")));
            } else {
                out.put(key, Literal.string(value));
            }
        }
        return out;
    }
}
