package dev.mellon.migrator.schema;

import java.util.List;
import java.util.Map;

/** An index; {@code with} holds storage parameters with their JavaScript types. */
public record Index(String name, List<IndexColumn> columns, boolean isUnique, String where, boolean concurrently,
                   String method, Map<String, Literal> with) {

    public Index {
        columns = Ordered.list(columns);
        with = Ordered.map(with);
    }

    /** A key: a column name, or SQL text when {@code isExpression}. */
    public record IndexColumn(String expression, boolean isExpression, boolean asc, String nulls, String opclass) {
    }
}
