package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The steps for views: created, dropped, or dropped and created again when they differ or read a column the plan
 * retypes or drops. Views marked existing belong to someone else and are left alone.
 */
final class ViewDiff {

    private final Comparison comparison;

    ViewDiff(Comparison comparison) {
        this.comparison = comparison;
    }

    /** @param out the steps so far, with every table step: the views that depend on a changed column follow from them */
    void diff(SchemaModel source, SchemaModel target, List<Change> out) {
        // An existing view counts as unchanged, so that it is never recreated either.
        Pairing.byKeyRecreating(source.views(), target.views(), v -> {
            if (!v.isExisting()) {
                out.add(new Change.CreateView(v));
            }
        }, v -> {
            if (!v.isExisting()) {
                out.add(new Change.DropView(v));
            }
        }, (x, y) -> x.isExisting() || y.isExisting() || sameView(x, y));
        recreateDependentViews(source, target, out);
    }

    private boolean sameView(SchemaObjects.View x, SchemaObjects.View y) {
        return x.materialized() == y.materialized() && comparison.sameExpression(x.definition(), y.definition())
                && Objects.equals(x.with() == null ? "" : StorageParameters.text(x.with()),
                y.with() == null ? "" : StorageParameters.text(y.with()));
    }

    /**
     * PostgreSQL refuses to change the type of, or drop, a column a view reads. A view over a table whose columns
     * change that way is dropped before and created again after (drizzle-kit leaves it, and the step fails). Which
     * tables a view reads is judged from its text: a view that merely mentions the name is recreated needlessly,
     * which is safe.
     */
    private static void recreateDependentViews(SchemaModel a, SchemaModel b, List<Change> out) {
        Set<String> retyped = new HashSet<>();
        for (Change c : out) {
            if (c instanceof Change.AlterColumnType t) {
                retyped.add(t.table().name());
            } else if (c instanceof Change.DropColumn d) {
                retyped.add(d.table().name());
            } else if (c instanceof Change.AlterColumnGenerated g && g.to().generated() != null) {
                retyped.add(g.table().name());
            } else if (c instanceof Change.RecreateEnum e) {
                e.columns().forEach(use -> retyped.add(use.table().name()));
            }
        }
        if (retyped.isEmpty()) {
            return;
        }
        Set<String> touched = new HashSet<>();
        for (Change c : out) {
            if (c instanceof Change.DropView || c instanceof Change.CreateView) {
                touched.add(c.name());
            }
        }
        for (Map.Entry<String, SchemaObjects.View> e : b.views().entrySet()) {
            SchemaObjects.View before = a.views().get(e.getKey());
            SchemaObjects.View after = e.getValue();
            if (before == null || before.isExisting() || after.isExisting() || touched.contains(after.schema() + "." + after.name())
                    || before.definition() == null) {
                continue;
            }
            if (retyped.stream().anyMatch(table -> Expressions.mentions(before.definition(), table))) {
                out.add(new Change.DropView(before));
                out.add(new Change.CreateView(after));
            }
        }
    }
}
