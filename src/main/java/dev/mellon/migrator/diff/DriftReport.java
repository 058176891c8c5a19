package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.SchemaObjects;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Drift in words: the steps that would bring the database to what the history expects, told as differences between
 * the two. A step that creates an object means it is missing from the database, one that drops it means it is
 * unexpected there, and a drop and create of the same object (an index, a check, a key, a view) is one changed
 * object with the attribute that differs.
 */
public final class DriftReport {

    private DriftReport() {
    }

    /** @param changes the steps from the actual schema to the expected one */
    public static List<Difference> of(List<Change> changes) {
        Map<String, Change> drops = new LinkedHashMap<>();
        for (Change c : changes) {
            if (c.effect() == Change.Effect.DROP) {
                drops.put(c.kind() + " " + c.name(), c);
            }
        }
        List<Difference> out = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        for (Change c : changes) {
            String id = c.kind() + " " + c.name();
            switch (c.effect()) {
                case CREATE -> {
                    Change drop = drops.get(id);
                    if (drop != null) {
                        replaced.add(id);
                        out.add(changed(drop, c));
                    } else {
                        out.add(new Difference(c.kind(), c.name(), "missing", null, null, null));
                    }
                }
                case ALTER -> out.add(altered(c));
                case RENAME -> out.add(new Difference(c.kind(), c.name(), "changed", "name", null, null));
                case DROP -> { }
            }
        }
        for (Change c : changes) {
            String id = c.kind() + " " + c.name();
            if (c.effect() == Change.Effect.DROP && !replaced.contains(id)) {
                out.add(new Difference(c.kind(), c.name(), "unexpected", null, null, null));
            }
        }
        return out;
    }

    private static Difference altered(Change c) {
        if (c instanceof Change.ColumnChange column) {
            Object expected = value(column.attribute(), column.to());
            Object actual = value(column.attribute(), column.from());
            return difference(c, column.attribute(), expected, actual);
        }
        if (c instanceof Change.AddEnumValue add) {
            return difference(c, "values", add.type().values(), null);
        }
        if (c instanceof Change.RecreateEnum recreate) {
            return difference(c, "values", recreate.to().values(), recreate.from().values());
        }
        if (c instanceof Change.AlterSequence s) {
            return difference(c, "options", s.to(), s.from());
        }
        if (c instanceof Change.AlterPolicy p) {
            return difference(c, "definition", p.to(), p.from());
        }
        if (c instanceof Change.EnableRls || c instanceof Change.DisableRls) {
            return difference(c, "isRLSEnabled", c instanceof Change.EnableRls, c instanceof Change.DisableRls);
        }
        if (c instanceof Change.AlterRole r) {
            return difference(c, "options", r.to(), r.from());
        }
        return new Difference(c.kind(), c.name(), "changed", null, null, null);
    }

    private static Object value(String attribute, dev.mellon.migrator.schema.Column c) {
        return switch (attribute) {
            case "type" -> ColumnDiff.qualifiedType(c);
            case "default" -> Comparison.sql(c.defaultValue());
            case "notNull" -> c.notNull();
            case "identity" -> c.identity() == null ? null : c.identity().type();
            case "generated" -> c.generated() == null ? null : c.generated().as();
            default -> null;
        };
    }

    /** A dropped and re-created object: the first attribute that differs. */
    private static Difference changed(Change drop, Change create) {
        String attribute = null;
        Object expected = null;
        Object actual = null;
        if (drop instanceof Change.DropIndex d && create instanceof Change.CreateIndex c) {
            Index x = c.index();
            Index y = d.index();
            attribute = x.isUnique() != y.isUnique() ? "isUnique" : !Objects.equals(x.method(), y.method()) ? "method"
                    : !x.columns().equals(y.columns()) ? "columns" : !Objects.equals(x.where(), y.where()) ? "where" : "with";
            expected = describe(attribute, x);
            actual = describe(attribute, y);
        } else if (drop instanceof Change.DropUnique d && create instanceof Change.AddUnique c) {
            boolean nulls = d.unique().nullsNotDistinct() != c.unique().nullsNotDistinct();
            attribute = nulls ? "nullsNotDistinct" : "columns";
            expected = nulls ? c.unique().nullsNotDistinct() : c.unique().columns();
            actual = nulls ? d.unique().nullsNotDistinct() : d.unique().columns();
        } else if (drop instanceof Change.DropCheck d && create instanceof Change.AddCheck c) {
            attribute = "value";
            expected = c.check().value();
            actual = d.check().value();
        } else if (drop instanceof Change.DropForeignKey d && create instanceof Change.AddForeignKey c) {
            Constraints.ForeignKey x = c.key();
            Constraints.ForeignKey y = d.key();
            attribute = !x.tableTo().equals(y.tableTo()) || !x.columnsTo().equals(y.columnsTo()) ? "references"
                    : !x.columnsFrom().equals(y.columnsFrom()) ? "columnsFrom"
                    : !Objects.equals(x.onDelete(), y.onDelete()) ? "onDelete" : "onUpdate";
        } else if (drop instanceof Change.DropView d && create instanceof Change.CreateView c) {
            SchemaObjects.View x = c.view();
            SchemaObjects.View y = d.view();
            attribute = x.materialized() != y.materialized() ? "materialized" : "definition";
            expected = attribute.equals("definition") ? x.definition() : x.materialized();
            actual = attribute.equals("definition") ? y.definition() : y.materialized();
        } else if (drop instanceof Change.DropPrimaryKey d && create instanceof Change.AddPrimaryKey c) {
            attribute = "columns";
            expected = c.key().columns();
            actual = d.key().columns();
        } else if (drop instanceof Change.DropPolicy d && create instanceof Change.CreatePolicy c) {
            attribute = !Objects.equals(c.policy().as(), d.policy().as()) ? "as" : "for";
        }
        return difference(create, attribute, expected, actual);
    }

    private static Object describe(String attribute, Index index) {
        return switch (attribute) {
            case "isUnique" -> index.isUnique();
            case "method" -> index.method();
            case "columns" -> index.columns().stream().map(Index.IndexColumn::expression).toList();
            case "where" -> index.where();
            default -> index.with();
        };
    }

    private static Difference difference(Change c, String attribute, Object expected, Object actual) {
        return new Difference(c.kind(), c.name(), "changed", attribute, expected == null ? null : expected.toString(),
                actual == null ? null : actual.toString());
    }
}
