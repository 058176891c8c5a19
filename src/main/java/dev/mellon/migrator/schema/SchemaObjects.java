package dev.mellon.migrator.schema;

import java.util.List;
import java.util.Map;

/** The schema-level objects besides tables. */
public final class SchemaObjects {

    private SchemaObjects() {
    }

    public record EnumType(String name, String schema, List<String> values) {
        public EnumType {
            values = Ordered.list(values);
        }

        public String key() {
            return schema + "." + name;
        }
    }

    /** Numbers are strings, as in the snapshot. */
    public record Sequence(String name, String schema, String increment, String startWith, String minValue,
                           String maxValue, String cache, boolean cycle) {
        public String key() {
            return schema + "." + name;
        }
    }

    public record Role(String name, boolean createDb, boolean createRole, boolean inherit) {
    }

    /**
     * A view or materialized view. {@code with} holds options in camelCase with their JavaScript types;
     * {@code withNoData}, {@code using} and {@code tablespace} apply to materialized views.
     */
    public record View(Map<String, Column> columns, String definition, String name, String schema, boolean isExisting,
                       Map<String, Literal> with, boolean materialized, Boolean withNoData, String using,
                       String tablespace) {
        public View {
            columns = Ordered.map(columns);
            with = with == null ? null : Ordered.map(with);
        }
    }
}
