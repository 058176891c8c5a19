package dev.mellon.migrator.schema;

import java.util.List;

/** The table constraints a snapshot names. */
public final class Constraints {

    private Constraints() {
    }

    /** Actions are drizzle's lowercase words: {@code cascade}, {@code set null}, {@code no action}, ... */
    public record ForeignKey(String name, String tableFrom, String tableTo, String schemaTo, List<String> columnsFrom,
                             List<String> columnsTo, String onDelete, String onUpdate) {
        public ForeignKey {
            columnsFrom = Ordered.list(columnsFrom);
            columnsTo = Ordered.list(columnsTo);
        }
    }

    public record PrimaryKey(String name, List<String> columns) {
        public PrimaryKey {
            columns = Ordered.list(columns);
        }
    }

    public record Unique(String name, boolean nullsNotDistinct, List<String> columns) {
        public Unique {
            columns = Ordered.list(columns);
        }
    }

    public record Check(String name, String value) {
    }

    /**
     * A row-level security policy. {@code on} and {@code schema} are set only for standalone policies (linked to a
     * table outside the schema).
     */
    public record Policy(String name, String as, String forCommand, List<String> to, String using, String withCheck,
                         String on, String schema) {
        public Policy {
            to = to == null ? null : Ordered.list(to);
        }
    }
}
