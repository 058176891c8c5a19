package dev.mellon.migrator.schema;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An ER diagram in Mermaid syntax: one entity per table with its columns and types, one relation per foreign key. */
public final class MermaidDiagram {

    private MermaidDiagram() {
    }

    public static String of(SchemaModel model) {
        StringBuilder out = new StringBuilder("erDiagram\n");
        List<Table> tables = model.tables().values().stream()
                .sorted(Comparator.comparing(Table::schemaName).thenComparing(Table::name)).toList();
        for (Table t : tables) {
            Set<String> foreign = new HashSet<>();
            t.foreignKeys().values().forEach(fk -> foreign.addAll(fk.columnsFrom()));
            Set<String> primary = new HashSet<>();
            t.compositePrimaryKeys().values().forEach(pk -> primary.addAll(pk.columns()));
            Set<String> unique = new HashSet<>();
            t.uniqueConstraints().values().stream().filter(u -> u.columns().size() == 1).forEach(u -> unique.add(u.columns().get(0)));
            out.append("  ").append(entity(t.schemaName(), t.name())).append(" {\n");
            for (Column c : t.columns().values()) {
                List<String> keys = new java.util.ArrayList<>();
                if (c.primaryKey() || primary.contains(c.name())) {
                    keys.add("PK");
                }
                if (foreign.contains(c.name())) {
                    keys.add("FK");
                }
                if (unique.contains(c.name())) {
                    keys.add("UK");
                }
                out.append("    ").append(token(c.type())).append(' ').append(token(c.name()));
                if (!keys.isEmpty()) {
                    out.append(' ').append(String.join(", ", keys));
                }
                if (!c.notNull() && !c.primaryKey()) {
                    out.append(" \"nullable\"");
                }
                out.append('\n');
            }
            out.append("  }\n");
        }
        for (Table t : tables) {
            t.foreignKeys().values().stream().sorted(Comparator.comparing(Constraints.ForeignKey::name)).forEach(fk -> {
                boolean optional = fk.columnsFrom().stream().anyMatch(c -> t.columns().get(c) == null || !t.columns().get(c).notNull());
                out.append("  ").append(entity(fk.schemaTo() == null ? "public" : fk.schemaTo(), fk.tableTo()))
                        .append(optional ? " |o--o{ " : " ||--o{ ").append(entity(t.schemaName(), t.name()))
                        .append(" : \"").append(fk.name().replace("\"", "'")).append("\"\n");
            });
        }
        return out.toString();
    }

    /** Public tables by name, others as {@code schema__name}; Mermaid entity names allow word characters only. */
    private static String entity(String schema, String name) {
        return token(schema.equals("public") ? name : schema + "__" + name);
    }

    private static String token(String text) {
        String cleaned = text.replaceAll("[^A-Za-z0-9_\\[\\]()-]", "_");
        return cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0)) && cleaned.charAt(0) != '_' ? "_" + cleaned : cleaned;
    }
}
