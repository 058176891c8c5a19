package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.mellon.migrator.diff.Hazard.Code.ACCESS_EXCLUSIVE_LOCK;
import static dev.mellon.migrator.diff.Hazard.Code.BLOCKS_WRITES_WHILE_INDEXING;
import static dev.mellon.migrator.diff.Hazard.Code.CHANGES_ACCESS;
import static dev.mellon.migrator.diff.Hazard.Code.DELETES_DATA;
import static dev.mellon.migrator.diff.Hazard.Code.DROPS_DEPENDENCY;
import static dev.mellon.migrator.diff.Hazard.Code.MAY_FAIL_ON_EXISTING_ROWS;
import static dev.mellon.migrator.diff.Hazard.Code.NOT_TRANSACTIONAL;
import static dev.mellon.migrator.diff.Hazard.Code.REWRITES_TABLE;

/**
 * The hazards of each kind of step, as PostgreSQL 15 behaves: which steps lose data, rewrite or lock a table, or
 * can fail on the rows already there. Steps on a table the same plan creates carry none of the table hazards: it
 * is empty and nobody uses it yet.
 *
 * @see <a href="https://www.postgresql.org/docs/15/sql-altertable.html">ALTER TABLE, notes on rewrites and locks</a>
 */
public final class Hazards {

    /** Type changes PostgreSQL makes without a rewrite: widening a varchar, or dropping its limit. */
    private static final Set<String> BINARY_COERCIBLE_TO_TEXT = Set.of("text", "varchar");

    private Hazards() {
    }

    public static List<Hazard> of(Change c) {
        return of(c, false);
    }

    /** @param online the step is written the zero-downtime way (concurrent index, NOT VALID then VALIDATE) */
    public static List<Hazard> of(Change c, boolean online) {
        List<Hazard> out = new ArrayList<>();
        String n = c.name();
        if (c instanceof Change.DropTable) {
            out.add(new Hazard(DELETES_DATA, n, "Dropping table " + n + " deletes all of its rows"));
            out.add(new Hazard(DROPS_DEPENDENCY, n, "CASCADE also drops views and foreign keys that depend on " + n));
        } else if (c instanceof Change.DropColumn) {
            out.add(new Hazard(DELETES_DATA, n, "Dropping column " + n + " deletes its values"));
            out.add(new Hazard(ACCESS_EXCLUSIVE_LOCK, n, "Dropping a column takes an ACCESS EXCLUSIVE lock on the table"));
        } else if (c instanceof Change.DropSchema) {
            out.add(new Hazard(DELETES_DATA, n, "Dropping schema " + n + " fails unless it is empty; its objects are lost if forced"));
        } else if (c instanceof Change.DropEnum || c instanceof Change.DropSequence) {
            out.add(new Hazard(DROPS_DEPENDENCY, n, "Dropping " + c.kind() + " " + n + " fails while columns or defaults use it"));
        } else if (c instanceof Change.RecreateEnum e && !e.columns().isEmpty()) {
            out.add(new Hazard(MAY_FAIL_ON_EXISTING_ROWS, n, "Rows holding a removed value of " + n
                    + " make the cast back to the enum fail; " + e.columns().size() + " column(s) are converted"));
            out.add(new Hazard(REWRITES_TABLE, n, "Each column of type " + n + " is rewritten twice (to text and back)"));
        } else if (c instanceof Change.AddEnumValue) {
            out.add(new Hazard(NOT_TRANSACTIONAL, n, "A value added to " + n
                    + " cannot be used in the transaction that adds it (SQLSTATE 55P04), and cannot be removed again without recreating the type"));
        } else if (c instanceof Change.AddColumn a) {
            addColumn(a, out);
        } else if (c instanceof Change.AlterColumnType t) {
            alterType(t, out);
        } else if (c instanceof Change.AlterColumnNotNull nn && nn.to().notNull()) {
            out.add(new Hazard(MAY_FAIL_ON_EXISTING_ROWS, n, "SET NOT NULL fails if " + n + " holds NULLs"));
            if (!online) {
                out.add(new Hazard(ACCESS_EXCLUSIVE_LOCK, n, "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock"));
            }
        } else if (c instanceof Change.AlterColumnIdentity i && i.from().identity() == null) {
            out.add(new Hazard(ACCESS_EXCLUSIVE_LOCK, n, "Adding an identity takes an ACCESS EXCLUSIVE lock on the table"));
        } else if (c instanceof Change.AlterColumnGenerated g) {
            if (g.to().generated() != null) {
                out.add(new Hazard(REWRITES_TABLE, n, "A new generation expression drops and re-adds " + n + ", rewriting the table"));
            }
            if (g.to().generated() != null && g.from().generated() == null) {
                out.add(new Hazard(DELETES_DATA, n, "Making " + n + " generated drops its stored values"));
            }
        } else if (c instanceof Change.AddPrimaryKey) {
            out.add(new Hazard(MAY_FAIL_ON_EXISTING_ROWS, n, "Adding primary key " + n + " fails on duplicate or NULL keys"));
            out.add(new Hazard(BLOCKS_WRITES_WHILE_INDEXING, n, "The key's index is built while the table is locked"));
        } else if (c instanceof Change.DropPrimaryKey) {
            out.add(new Hazard(DROPS_DEPENDENCY, n, "Foreign keys referencing " + n + " must be dropped first"));
        } else if (c instanceof Change.AddUnique) {
            out.add(new Hazard(MAY_FAIL_ON_EXISTING_ROWS, n, "Adding unique constraint " + n + " fails on duplicate rows"));
            out.add(new Hazard(BLOCKS_WRITES_WHILE_INDEXING, n, "The constraint's index is built while writes wait"));
        } else if (c instanceof Change.AddCheck) {
            out.add(new Hazard(MAY_FAIL_ON_EXISTING_ROWS, n, "Adding check " + n + " fails if existing rows break it"));
            if (!online) {
                out.add(new Hazard(ACCESS_EXCLUSIVE_LOCK, n, "The check is validated by a full scan under an ACCESS EXCLUSIVE lock"));
            }
        } else if (c instanceof Change.AddForeignKey fk && !fk.newTable()) {
            out.add(new Hazard(MAY_FAIL_ON_EXISTING_ROWS, n, "Adding foreign key " + n + " fails if existing rows have no match"));
            if (!online) {
                out.add(new Hazard(ACCESS_EXCLUSIVE_LOCK, n,
                        "The key is validated by a full scan while both tables are locked against writes"));
            }
        } else if (c instanceof Change.CreateIndex i && !i.newTable()) {
            if (online || i.index().concurrently()) {
                out.add(new Hazard(NOT_TRANSACTIONAL, n, "CREATE INDEX CONCURRENTLY runs outside a transaction; "
                        + "a failure leaves an INVALID index to drop"));
            } else {
                out.add(new Hazard(BLOCKS_WRITES_WHILE_INDEXING, n, "Building index " + n + " blocks writes to the table; "
                        + "use an online plan to build it concurrently"));
            }
            if (i.index().isUnique()) {
                out.add(new Hazard(MAY_FAIL_ON_EXISTING_ROWS, n, "A unique index fails on duplicate rows"));
            }
        } else if (c instanceof Change.DropIndex) {
            out.add(new Hazard(ACCESS_EXCLUSIVE_LOCK, n, "DROP INDEX takes an ACCESS EXCLUSIVE lock on the table"));
        } else if (c instanceof Change.DropView) {
            out.add(new Hazard(DROPS_DEPENDENCY, n, "Dropping view " + n + " breaks queries and views that use it"));
        } else if (c instanceof Change.EnableRls || c instanceof Change.DisableRls || c instanceof Change.CreatePolicy
                || c instanceof Change.DropPolicy || c instanceof Change.AlterPolicy) {
            out.add(new Hazard(CHANGES_ACCESS, n, "Row-level security changes which rows roles other than the owner can see"));
        } else if (c instanceof Change.RenameTable || c instanceof Change.RenameColumn || c instanceof Change.RenameSchema
                || c instanceof Change.RenameEnum) {
            out.add(new Hazard(DROPS_DEPENDENCY, n, "Application code still using the old name breaks at once"));
        }
        return out;
    }

    private static void addColumn(Change.AddColumn a, List<Hazard> out) {
        Column c = a.column();
        String n = a.name();
        if (c.notNull() && c.defaultValue() == null && c.identity() == null && c.generated() == null
                && !c.type().endsWith("serial")) {
            out.add(new Hazard(MAY_FAIL_ON_EXISTING_ROWS, n, "A NOT NULL column without a default cannot be added to a table with rows"));
        }
        if (c.generated() != null || c.identity() != null || c.type().endsWith("serial") || isVolatile(c)) {
            out.add(new Hazard(REWRITES_TABLE, n, "Adding " + n + " computes a value for every row: the table is rewritten"));
        }
    }

    /** PostgreSQL 11+ stores a constant default without a rewrite; a volatile one is evaluated per row. */
    private static boolean isVolatile(Column c) {
        if (c.defaultValue() == null) {
            return false;
        }
        String d = c.defaultValue().sql().toLowerCase(java.util.Locale.ROOT);
        return d.contains("random(") || d.contains("gen_random_uuid(") || d.contains("uuid_generate") || d.contains("clock_timestamp(")
                || d.contains("nextval(");
    }

    private static void alterType(Change.AlterColumnType t, List<Hazard> out) {
        String n = t.name();
        String from = t.from().type().toLowerCase(java.util.Locale.ROOT);
        String to = t.to().type().toLowerCase(java.util.Locale.ROOT);
        boolean widening = from.startsWith("varchar") && BINARY_COERCIBLE_TO_TEXT.stream().anyMatch(to::startsWith)
                && (to.equals("text") || to.equals("varchar") || width(to) >= width(from));
        if (widening) {
            return;
        }
        out.add(new Hazard(REWRITES_TABLE, n, "Changing the type of " + n + " from " + t.from().type() + " to " + t.to().type()
                + " rewrites the table under an ACCESS EXCLUSIVE lock"));
        out.add(new Hazard(MAY_FAIL_ON_EXISTING_ROWS, n, TypeCasts.needsUsing(t.from(), t.to())
                ? "PostgreSQL has no automatic cast from " + t.from().type() + " to " + t.to().type() + ": values of " + n
                + " are converted with USING (an explicit cast), and any value that does not parse as " + t.to().type()
                + " makes the step fail"
                : "Existing values of " + n + " that do not convert make the step fail"));
    }

    private static int width(String type) {
        int open = type.indexOf('(');
        if (open < 0) {
            return Integer.MAX_VALUE;
        }
        try {
            return Integer.parseInt(type.substring(open + 1, type.indexOf(')')).trim());
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
