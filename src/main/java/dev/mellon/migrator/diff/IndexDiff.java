package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.Table;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** The steps for the indexes of a table both schemas have: an index that differs is dropped and created again. */
final class IndexDiff {

    private final Comparison comparison;

    IndexDiff(Comparison comparison) {
        this.comparison = comparison;
    }

    void diff(Change.TableRef ref, Table from, Table to, List<Change> out) {
        Pairing.byKeyRecreating(from.indexes(), to.indexes(), i -> out.add(new Change.CreateIndex(ref, i, false)),
                i -> out.add(new Change.DropIndex(ref, i)), this::sameIndex);
    }

    private boolean sameIndex(Index x, Index y) {
        return x.isUnique() == y.isUnique()
                && Objects.requireNonNullElse(x.method(), "btree").equals(Objects.requireNonNullElse(y.method(), "btree"))
                && keys(x).equals(keys(y)) && comparison.sameExpression(x.where(), y.where())
                && StorageParameters.text(x.with()).equals(StorageParameters.text(y.with()));
    }

    /**
     * An index's keys as one comparison text. A plain key is spelled the way a hand-written expression key would be
     * ({@code created_at DESC NULLS LAST}), so that the two forms drizzle snapshots use for the same index compare
     * equal. NULLS is spelled only where it differs from PostgreSQL's default (LAST for ASC, FIRST for DESC).
     */
    private String keys(Index index) {
        return index.columns().stream().map(c -> {
            if (c.isExpression()) {
                return comparison == Comparison.TEXTUAL ? Expressions.normalize(c.expression()) : c.expression().strip();
            }
            String key = "\"" + c.expression().replace("\"", "\"\"") + "\"" + (c.asc() ? "" : " desc")
                    + (c.asc() == "last".equals(Objects.requireNonNullElse(c.nulls(), "last")) ? "" : " nulls " + c.nulls())
                    + (c.opclass() == null ? "" : " " + c.opclass());
            return comparison == Comparison.TEXTUAL ? Expressions.normalize(key) : key;
        }).collect(Collectors.joining(", "));
    }
}
