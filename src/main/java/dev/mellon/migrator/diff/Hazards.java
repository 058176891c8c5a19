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
        return c.accept(new Rules(online));
    }

    /** The hazards of each kind of step: a new kind does not compile until it says what it risks. */
    private record Rules(boolean online) implements Change.Visitor<List<Hazard>> {
        @Override public List<Hazard> createSchema(Change.CreateSchema c) { return List.of(); }
        @Override public List<Hazard> dropSchema(Change.DropSchema c) {
            return List.of(hazard(DELETES_DATA, c, "Dropping schema " + c.name()
                    + " fails unless it is empty; its objects are lost if forced"));
        }
        @Override public List<Hazard> renameSchema(Change.RenameSchema c) { return breaksOldName(c); }
        @Override public List<Hazard> createEnum(Change.CreateEnum c) { return List.of(); }
        @Override public List<Hazard> dropEnum(Change.DropEnum c) { return dropsWhatIsInUse(c); }
        @Override public List<Hazard> renameEnum(Change.RenameEnum c) { return breaksOldName(c); }
        @Override public List<Hazard> addEnumValue(Change.AddEnumValue c) {
            return List.of(hazard(NOT_TRANSACTIONAL, c, "A value added to " + c.name()
                    + " cannot be used in the transaction that adds it (SQLSTATE 55P04), and cannot be removed again without"
                    + " recreating the type"));
        }
        @Override public List<Hazard> recreateEnum(Change.RecreateEnum c) {
            return c.columns().isEmpty() ? List.of() : List.of(
                    hazard(MAY_FAIL_ON_EXISTING_ROWS, c, "Rows holding a removed value of " + c.name()
                            + " make the cast back to the enum fail; " + c.columns().size() + " column(s) are converted"),
                    hazard(REWRITES_TABLE, c, "Each column of type " + c.name() + " is rewritten twice (to text and back)"));
        }
        @Override public List<Hazard> createSequence(Change.CreateSequence c) { return List.of(); }
        @Override public List<Hazard> dropSequence(Change.DropSequence c) { return dropsWhatIsInUse(c); }
        @Override public List<Hazard> alterSequence(Change.AlterSequence c) { return List.of(); }
        @Override public List<Hazard> createRole(Change.CreateRole c) { return List.of(); }
        @Override public List<Hazard> dropRole(Change.DropRole c) { return List.of(); }
        @Override public List<Hazard> alterRole(Change.AlterRole c) { return List.of(); }
        @Override public List<Hazard> createTable(Change.CreateTable c) { return List.of(); }
        @Override public List<Hazard> dropTable(Change.DropTable c) {
            return List.of(hazard(DELETES_DATA, c, "Dropping table " + c.name() + " deletes all of its rows"),
                    hazard(DROPS_DEPENDENCY, c, "CASCADE also drops views and foreign keys that depend on " + c.name()));
        }
        @Override public List<Hazard> renameTable(Change.RenameTable c) { return breaksOldName(c); }
        @Override public List<Hazard> enableRls(Change.EnableRls c) { return changesAccess(c); }
        @Override public List<Hazard> disableRls(Change.DisableRls c) { return changesAccess(c); }
        @Override public List<Hazard> addColumn(Change.AddColumn c) { return Hazards.addColumn(c); }
        @Override public List<Hazard> dropColumn(Change.DropColumn c) {
            return List.of(hazard(DELETES_DATA, c, "Dropping column " + c.name() + " deletes its values"),
                    hazard(ACCESS_EXCLUSIVE_LOCK, c, "Dropping a column takes an ACCESS EXCLUSIVE lock on the table"));
        }
        @Override public List<Hazard> renameColumn(Change.RenameColumn c) { return breaksOldName(c); }
        @Override public List<Hazard> alterColumnType(Change.AlterColumnType c) { return alterType(c); }
        @Override public List<Hazard> alterColumnDefault(Change.AlterColumnDefault c) { return List.of(); }
        @Override public List<Hazard> alterColumnNotNull(Change.AlterColumnNotNull c) {
            return !c.to().notNull() ? List.of() : lockingUnlessOnline(
                    hazard(MAY_FAIL_ON_EXISTING_ROWS, c, "SET NOT NULL fails if " + c.name() + " holds NULLs"),
                    hazard(ACCESS_EXCLUSIVE_LOCK, c, "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock"));
        }
        @Override public List<Hazard> alterColumnIdentity(Change.AlterColumnIdentity c) {
            return c.from().identity() != null ? List.of()
                    : List.of(hazard(ACCESS_EXCLUSIVE_LOCK, c, "Adding an identity takes an ACCESS EXCLUSIVE lock on the table"));
        }
        @Override public List<Hazard> alterColumnGenerated(Change.AlterColumnGenerated c) {
            if (c.to().generated() == null) {
                return List.of();
            }
            Hazard rewrite = hazard(REWRITES_TABLE, c, "A new generation expression drops and re-adds " + c.name()
                    + ", rewriting the table");
            return c.from().generated() != null ? List.of(rewrite)
                    : List.of(rewrite, hazard(DELETES_DATA, c, "Making " + c.name() + " generated drops its stored values"));
        }
        @Override public List<Hazard> addPrimaryKey(Change.AddPrimaryKey c) {
            return List.of(hazard(MAY_FAIL_ON_EXISTING_ROWS, c, "Adding primary key " + c.name() + " fails on duplicate or NULL keys"),
                    hazard(BLOCKS_WRITES_WHILE_INDEXING, c, "The key's index is built while the table is locked"));
        }
        @Override public List<Hazard> dropPrimaryKey(Change.DropPrimaryKey c) {
            return List.of(hazard(DROPS_DEPENDENCY, c, "Foreign keys referencing " + c.name() + " must be dropped first"));
        }
        @Override public List<Hazard> addForeignKey(Change.AddForeignKey c) {
            return c.newTable() ? List.of() : lockingUnlessOnline(
                    hazard(MAY_FAIL_ON_EXISTING_ROWS, c, "Adding foreign key " + c.name() + " fails if existing rows have no match"),
                    hazard(ACCESS_EXCLUSIVE_LOCK, c,
                            "The key is validated by a full scan while both tables are locked against writes"));
        }
        @Override public List<Hazard> dropForeignKey(Change.DropForeignKey c) { return List.of(); }
        @Override public List<Hazard> addUnique(Change.AddUnique c) {
            return List.of(hazard(MAY_FAIL_ON_EXISTING_ROWS, c, "Adding unique constraint " + c.name() + " fails on duplicate rows"),
                    hazard(BLOCKS_WRITES_WHILE_INDEXING, c, "The constraint's index is built while writes wait"));
        }
        @Override public List<Hazard> dropUnique(Change.DropUnique c) { return List.of(); }
        @Override public List<Hazard> addCheck(Change.AddCheck c) {
            return lockingUnlessOnline(
                    hazard(MAY_FAIL_ON_EXISTING_ROWS, c, "Adding check " + c.name() + " fails if existing rows break it"),
                    hazard(ACCESS_EXCLUSIVE_LOCK, c, "The check is validated by a full scan under an ACCESS EXCLUSIVE lock"));
        }
        @Override public List<Hazard> dropCheck(Change.DropCheck c) { return List.of(); }
        @Override public List<Hazard> createIndex(Change.CreateIndex c) {
            if (c.newTable()) {
                return List.of();
            }
            Hazard build = online || c.index().concurrently()
                    ? hazard(NOT_TRANSACTIONAL, c, "CREATE INDEX CONCURRENTLY runs outside a transaction; "
                    + "a failure leaves an INVALID index to drop")
                    : hazard(BLOCKS_WRITES_WHILE_INDEXING, c, "Building index " + c.name() + " blocks writes to the table; "
                    + "use an online plan to build it concurrently");
            return !c.index().isUnique() ? List.of(build)
                    : List.of(build, hazard(MAY_FAIL_ON_EXISTING_ROWS, c, "A unique index fails on duplicate rows"));
        }
        @Override public List<Hazard> dropIndex(Change.DropIndex c) {
            return List.of(hazard(ACCESS_EXCLUSIVE_LOCK, c, "DROP INDEX takes an ACCESS EXCLUSIVE lock on the table"));
        }
        @Override public List<Hazard> createPolicy(Change.CreatePolicy c) { return changesAccess(c); }
        @Override public List<Hazard> dropPolicy(Change.DropPolicy c) { return changesAccess(c); }
        @Override public List<Hazard> alterPolicy(Change.AlterPolicy c) { return changesAccess(c); }
        @Override public List<Hazard> createView(Change.CreateView c) { return List.of(); }
        @Override public List<Hazard> dropView(Change.DropView c) {
            return List.of(hazard(DROPS_DEPENDENCY, c, "Dropping view " + c.name() + " breaks queries and views that use it"));
        }

        /** A step an online plan writes NOT VALID then VALIDATE: only the plain form holds the lock. */
        private List<Hazard> lockingUnlessOnline(Hazard always, Hazard lock) {
            return online ? List.of(always) : List.of(always, lock);
        }
    }

    private static Hazard hazard(Hazard.Code code, Change c, String message) {
        return new Hazard(code, c.name(), message);
    }

    private static List<Hazard> dropsWhatIsInUse(Change c) {
        return List.of(hazard(DROPS_DEPENDENCY, c, "Dropping " + c.kind() + " " + c.name() + " fails while columns or defaults use it"));
    }

    private static List<Hazard> changesAccess(Change c) {
        return List.of(hazard(CHANGES_ACCESS, c, "Row-level security changes which rows roles other than the owner can see"));
    }

    private static List<Hazard> breaksOldName(Change c) {
        return List.of(hazard(DROPS_DEPENDENCY, c, "Application code still using the old name breaks at once"));
    }

    private static List<Hazard> addColumn(Change.AddColumn a) {
        Column c = a.column();
        String n = a.name();
        List<Hazard> out = new ArrayList<>();
        if (c.notNull() && c.defaultValue() == null && c.identity() == null && c.generated() == null
                && !c.type().endsWith("serial")) {
            out.add(new Hazard(MAY_FAIL_ON_EXISTING_ROWS, n, "A NOT NULL column without a default cannot be added to a table with rows"));
        }
        if (c.generated() != null || c.identity() != null || c.type().endsWith("serial") || isVolatile(c)) {
            out.add(new Hazard(REWRITES_TABLE, n, "Adding " + n + " computes a value for every row: the table is rewritten"));
        }
        return List.copyOf(out);
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

    private static List<Hazard> alterType(Change.AlterColumnType t) {
        String n = t.name();
        String from = t.from().type().toLowerCase(java.util.Locale.ROOT);
        String to = t.to().type().toLowerCase(java.util.Locale.ROOT);
        boolean widening = from.startsWith("varchar") && BINARY_COERCIBLE_TO_TEXT.stream().anyMatch(to::startsWith)
                && (to.equals("text") || to.equals("varchar") || width(to) >= width(from));
        if (widening) {
            return List.of();
        }
        return List.of(new Hazard(REWRITES_TABLE, n, "Changing the type of " + n + " from " + t.from().type() + " to " + t.to().type()
                + " rewrites the table under an ACCESS EXCLUSIVE lock"),
                new Hazard(MAY_FAIL_ON_EXISTING_ROWS, n, TypeCasts.needsUsing(t.from(), t.to())
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
