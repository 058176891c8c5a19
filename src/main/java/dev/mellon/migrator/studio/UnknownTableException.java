package dev.mellon.migrator.studio;

/** The schema or table named in a studio request does not exist (or is not a browsable relation). */
public final class UnknownTableException extends RuntimeException {

    private final String schema;
    private final String table;

    public UnknownTableException(String schema, String table) {
        super(table == null ? "Unknown schema \"" + schema + "\"" : "Unknown table \"" + schema + "\".\"" + table + "\"");
        this.schema = schema;
        this.table = table;
    }

    public String schema() {
        return schema;
    }

    public String table() {
        return table;
    }
}
