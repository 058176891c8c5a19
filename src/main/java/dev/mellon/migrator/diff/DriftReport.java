package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.SchemaObjects;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

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
                drops.put(id(c), c);
            }
        }
        Described described = new Described(drops);
        List<Difference> out = new ArrayList<>();
        for (Change c : changes) {
            if (c.effect() != Change.Effect.DROP) {
                out.add(c.accept(described));
            }
        }
        // Drops come last, and only those no create replaced: that pair was told as one changed object.
        for (Change c : changes) {
            if (c.effect() == Change.Effect.DROP && !described.replaced(c)) {
                out.add(c.accept(described));
            }
        }
        return out;
    }

    private static String id(Change c) {
        return c.kind() + " " + c.name();
    }

    /**
     * Each kind of step as the difference it stands for: a new kind does not compile until it says how it is told. A
     * create whose object the plan also drops is the changed object, and marks that drop as replaced.
     */
    private static final class Described implements Change.Visitor<Difference> {
        private final Map<String, Change> drops;
        private final Set<String> replaced = new HashSet<>();

        Described(Map<String, Change> drops) {
            this.drops = drops;
        }

        boolean replaced(Change drop) {
            return replaced.contains(id(drop));
        }

        @Override public Difference createSchema(Change.CreateSchema c) { return created(c); }
        @Override public Difference dropSchema(Change.DropSchema c) { return unexpected(c); }
        @Override public Difference renameSchema(Change.RenameSchema c) { return renamed(c); }
        @Override public Difference createEnum(Change.CreateEnum c) { return created(c); }
        @Override public Difference dropEnum(Change.DropEnum c) { return unexpected(c); }
        @Override public Difference renameEnum(Change.RenameEnum c) { return renamed(c); }
        @Override public Difference addEnumValue(Change.AddEnumValue c) { return difference(c, "values", c.type().values(), null); }
        @Override public Difference recreateEnum(Change.RecreateEnum c) {
            return difference(c, "values", c.to().values(), c.from().values());
        }
        @Override public Difference createSequence(Change.CreateSequence c) { return created(c); }
        @Override public Difference dropSequence(Change.DropSequence c) { return unexpected(c); }
        @Override public Difference alterSequence(Change.AlterSequence c) { return difference(c, "options", c.to(), c.from()); }
        @Override public Difference createRole(Change.CreateRole c) { return created(c); }
        @Override public Difference dropRole(Change.DropRole c) { return unexpected(c); }
        @Override public Difference alterRole(Change.AlterRole c) { return difference(c, "options", c.to(), c.from()); }
        @Override public Difference createTable(Change.CreateTable c) { return created(c); }
        @Override public Difference dropTable(Change.DropTable c) { return unexpected(c); }
        @Override public Difference renameTable(Change.RenameTable c) { return renamed(c); }
        @Override public Difference enableRls(Change.EnableRls c) { return difference(c, "isRLSEnabled", true, false); }
        @Override public Difference disableRls(Change.DisableRls c) { return difference(c, "isRLSEnabled", false, true); }
        @Override public Difference addColumn(Change.AddColumn c) { return created(c); }
        @Override public Difference dropColumn(Change.DropColumn c) { return unexpected(c); }
        @Override public Difference renameColumn(Change.RenameColumn c) { return renamed(c); }
        @Override public Difference alterColumnType(Change.AlterColumnType c) { return column(c); }
        @Override public Difference alterColumnDefault(Change.AlterColumnDefault c) { return column(c); }
        @Override public Difference alterColumnNotNull(Change.AlterColumnNotNull c) { return column(c); }
        @Override public Difference alterColumnIdentity(Change.AlterColumnIdentity c) { return column(c); }
        @Override public Difference alterColumnGenerated(Change.AlterColumnGenerated c) { return column(c); }
        @Override public Difference addPrimaryKey(Change.AddPrimaryKey c) {
            return created(c, Change.DropPrimaryKey.class, d -> difference(c, "columns", c.key().columns(), d.key().columns()));
        }
        @Override public Difference dropPrimaryKey(Change.DropPrimaryKey c) { return unexpected(c); }
        @Override public Difference addForeignKey(Change.AddForeignKey c) {
            return created(c, Change.DropForeignKey.class, d -> difference(c, foreignKeyAttribute(c.key(), d.key()), null, null));
        }
        @Override public Difference dropForeignKey(Change.DropForeignKey c) { return unexpected(c); }
        @Override public Difference addUnique(Change.AddUnique c) { return created(c, Change.DropUnique.class, d -> unique(c, d)); }
        @Override public Difference dropUnique(Change.DropUnique c) { return unexpected(c); }
        @Override public Difference addCheck(Change.AddCheck c) {
            return created(c, Change.DropCheck.class, d -> difference(c, "value", c.check().value(), d.check().value()));
        }
        @Override public Difference dropCheck(Change.DropCheck c) { return unexpected(c); }
        @Override public Difference createIndex(Change.CreateIndex c) { return created(c, Change.DropIndex.class, d -> index(c, d)); }
        @Override public Difference dropIndex(Change.DropIndex c) { return unexpected(c); }
        @Override public Difference createPolicy(Change.CreatePolicy c) {
            return created(c, Change.DropPolicy.class,
                    d -> difference(c, !Objects.equals(c.policy().as(), d.policy().as()) ? "as" : "for", null, null));
        }
        @Override public Difference dropPolicy(Change.DropPolicy c) { return unexpected(c); }
        @Override public Difference alterPolicy(Change.AlterPolicy c) { return difference(c, "definition", c.to(), c.from()); }
        @Override public Difference createView(Change.CreateView c) { return created(c, Change.DropView.class, d -> view(c, d)); }
        @Override public Difference dropView(Change.DropView c) { return unexpected(c); }

        /** An object the database lacks, or, when the plan also drops it, one that differs in no attribute told apart. */
        private Difference created(Change create) {
            return created(create, Change.class, drop -> difference(create, null, null, null));
        }

        /** @param replacement the difference told by the drop of the same object and this create */
        private <D extends Change> Difference created(Change create, Class<D> dropType, Function<D, Difference> replacement) {
            Change drop = drops.get(id(create));
            if (drop == null) {
                return new Difference(create.kind(), create.name(), "missing", null, null, null);
            }
            replaced.add(id(create));
            // Steps of one kind have one drop record, so the type always matches; checked all the same, not cast blind.
            return dropType.isInstance(drop) ? replacement.apply(dropType.cast(drop)) : difference(create, null, null, null);
        }
    }

    /** Told only for a drop that no create replaced (see {@link #of}). */
    private static Difference unexpected(Change drop) {
        return new Difference(drop.kind(), drop.name(), "unexpected", null, null, null);
    }

    private static Difference renamed(Change c) {
        return difference(c, "name", null, null);
    }

    private static Difference column(Change.ColumnChange c) {
        return difference(c, c.attribute(), value(c.attribute(), c.to()), value(c.attribute(), c.from()));
    }

    private static Object value(String attribute, Column c) {
        return switch (attribute) {
            case "type" -> ColumnDiff.qualifiedType(c);
            case "default" -> Comparison.sql(c.defaultValue());
            case "notNull" -> c.notNull();
            case "identity" -> c.identity() == null ? null : c.identity().type();
            case "generated" -> c.generated() == null ? null : c.generated().as();
            default -> null;
        };
    }

    /** The first attribute that differs, with the expected (created) and actual (dropped) index's values of it. */
    private static Difference index(Change.CreateIndex create, Change.DropIndex drop) {
        Index x = create.index();
        Index y = drop.index();
        String attribute = x.isUnique() != y.isUnique() ? "isUnique" : !Objects.equals(x.method(), y.method()) ? "method"
                : !x.columns().equals(y.columns()) ? "columns" : !Objects.equals(x.where(), y.where()) ? "where" : "with";
        return difference(create, attribute, describe(attribute, x), describe(attribute, y));
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

    private static Difference unique(Change.AddUnique create, Change.DropUnique drop) {
        boolean nulls = drop.unique().nullsNotDistinct() != create.unique().nullsNotDistinct();
        return nulls ? difference(create, "nullsNotDistinct", create.unique().nullsNotDistinct(), drop.unique().nullsNotDistinct())
                : difference(create, "columns", create.unique().columns(), drop.unique().columns());
    }

    private static String foreignKeyAttribute(Constraints.ForeignKey x, Constraints.ForeignKey y) {
        return !x.tableTo().equals(y.tableTo()) || !x.columnsTo().equals(y.columnsTo()) ? "references"
                : !x.columnsFrom().equals(y.columnsFrom()) ? "columnsFrom"
                : !Objects.equals(x.onDelete(), y.onDelete()) ? "onDelete" : "onUpdate";
    }

    private static Difference view(Change.CreateView create, Change.DropView drop) {
        SchemaObjects.View x = create.view();
        SchemaObjects.View y = drop.view();
        return x.materialized() != y.materialized() ? difference(create, "materialized", x.materialized(), y.materialized())
                : difference(create, "definition", x.definition(), y.definition());
    }

    private static Difference difference(Change c, String attribute, Object expected, Object actual) {
        return new Difference(c.kind(), c.name(), "changed", attribute, expected == null ? null : expected.toString(),
                actual == null ? null : actual.toString());
    }
}
