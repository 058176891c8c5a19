package dev.mellon.migrator.ddl;

import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A foreign key needs a unique key (a primary key, a unique constraint or a plain unique index) on the columns it
 * references. drizzle-kit's fixed group order adds foreign keys before uniques and drops uniques before foreign keys,
 * which PostgreSQL refuses when both are in one plan. This moves each such step right after the steps it needs and
 * keeps every other step where the group order put it.
 */
final class KeyDependencies {

    private KeyDependencies() {
    }

    /** A table and a set of columns a foreign key can reference. */
    private record Key(String table, Set<String> columns) {
    }

    static List<Change> order(List<Change> ordered) {
        Map<Key, List<Change>> created = new HashMap<>();
        Map<Key, List<Change>> droppedForeignKeys = new HashMap<>();
        for (Change c : ordered) {
            Key key = createdKey(c);
            if (key != null) {
                created.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
            }
            if (c instanceof Change.DropForeignKey fk) {
                droppedForeignKeys.computeIfAbsent(referenced(fk.key()), k -> new ArrayList<>()).add(c);
            }
        }
        if (created.isEmpty() && droppedForeignKeys.isEmpty()) {
            return ordered;
        }
        List<Change> out = new ArrayList<>(ordered.size());
        Set<Change> placed = new HashSet<>();
        List<Change> deferred = new ArrayList<>();
        for (Change c : ordered) {
            if (!placed.containsAll(needs(c, created, droppedForeignKeys))) {
                deferred.add(c);
                continue;
            }
            out.add(c);
            placed.add(c);
            // A deferred step goes right after the last step it waited for.
            for (Iterator<Change> it = deferred.iterator(); it.hasNext(); ) {
                Change d = it.next();
                if (placed.containsAll(needs(d, created, droppedForeignKeys))) {
                    out.add(d);
                    placed.add(d);
                    it.remove();
                }
            }
        }
        out.addAll(deferred);
        return out;
    }

    private static List<Change> needs(Change c, Map<Key, List<Change>> created, Map<Key, List<Change>> droppedForeignKeys) {
        if (c instanceof Change.AddForeignKey fk) {
            return created.getOrDefault(referenced(fk.key()), List.of());
        }
        Key dropped = droppedKey(c);
        return dropped == null ? List.of() : droppedForeignKeys.getOrDefault(dropped, List.of());
    }

    private static Key referenced(Constraints.ForeignKey fk) {
        return new Key((fk.schemaTo() == null ? "public" : fk.schemaTo()) + "." + fk.tableTo(), new HashSet<>(fk.columnsTo()));
    }

    private static Key createdKey(Change c) {
        if (c instanceof Change.AddUnique u) {
            return new Key(u.table().key(), new HashSet<>(u.unique().columns()));
        }
        if (c instanceof Change.AddPrimaryKey k) {
            return new Key(k.table().key(), new HashSet<>(k.key().columns()));
        }
        if (c instanceof Change.CreateIndex i) {
            return uniqueIndexKey(i.table(), i.index());
        }
        return null;
    }

    private static Key droppedKey(Change c) {
        if (c instanceof Change.DropUnique u) {
            return new Key(u.table().key(), new HashSet<>(u.unique().columns()));
        }
        if (c instanceof Change.DropPrimaryKey k) {
            return new Key(k.table().key(), new HashSet<>(k.key().columns()));
        }
        if (c instanceof Change.DropIndex i) {
            return uniqueIndexKey(i.table(), i.index());
        }
        return null;
    }

    /** A plain unique index on columns (no expression, no predicate) can back a foreign key. */
    private static Key uniqueIndexKey(Change.TableRef table, Index index) {
        if (!index.isUnique() || index.where() != null || index.columns().stream().anyMatch(Index.IndexColumn::isExpression)) {
            return null;
        }
        Set<String> columns = new HashSet<>();
        index.columns().forEach(k -> columns.add(k.expression()));
        return new Key(table.key(), columns);
    }
}
