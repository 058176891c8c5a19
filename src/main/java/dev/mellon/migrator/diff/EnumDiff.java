package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The steps for enum types: created, dropped, values appended, or the type recreated when a value goes. */
final class EnumDiff {

    private EnumDiff() {
    }

    static void diff(SchemaModel source, SchemaModel target, List<Change> out) {
        Pairing.byKey(source.enums(), target.enums(), e -> out.add(new Change.CreateEnum(e)), e -> out.add(new Change.DropEnum(e)),
                (x, y) -> altered(x, y, source, target, out));
    }

    private static void altered(SchemaObjects.EnumType from, SchemaObjects.EnumType to, SchemaModel source, SchemaModel target,
                                List<Change> out) {
        List<String> old = from.values();
        List<String> now = to.values();
        if (!now.containsAll(old)) {
            recreate(from, to, source, target, out);
            return;
        }
        // Values are compared as a set, as drizzle-kit does: ADD VALUE appends, so a database built by appending
        // legitimately lists them in another order than the one declared.
        for (int i = 0; i < now.size(); i++) {
            String value = now.get(i);
            if (!old.contains(value)) {
                String before = null;
                for (int j = i + 1; j < now.size() && before == null; j++) {
                    if (old.contains(now.get(j))) {
                        before = now.get(j);
                    }
                }
                out.add(new Change.AddEnumValue(to, value, before));
            }
        }
    }

    /**
     * The columns that use the enum now: those that keep it are converted through text and back; those that leave it
     * (dropped, or retyped) are converted to text only, since the type cannot be dropped while they use it.
     */
    private static void recreate(SchemaObjects.EnumType from, SchemaObjects.EnumType to, SchemaModel source, SchemaModel target,
                                 List<Change> out) {
        List<Change.ColumnUse> kept = new ArrayList<>();
        List<Change.ReleasedColumn> released = new ArrayList<>();
        for (Map.Entry<String, Table> e : source.tables().entrySet()) {
            Table after = target.tables().get(e.getKey());
            for (Column c : e.getValue().columns().values()) {
                if (!uses(c, from)) {
                    continue;
                }
                Column now = after == null ? null : after.columns().get(c.name());
                Change.TableRef ref = Change.TableRef.of(e.getValue());
                if (now != null && uses(now, to)) {
                    kept.add(new Change.ColumnUse(ref, now, c));
                } else if (after != null) {
                    released.add(new Change.ReleasedColumn(ref, c, now));
                }
            }
        }
        // New tables are created (with the old type) before the type is recreated: their columns go through text too.
        for (Map.Entry<String, Table> e : target.tables().entrySet()) {
            if (!source.tables().containsKey(e.getKey())) {
                for (Column c : e.getValue().columns().values()) {
                    if (uses(c, to)) {
                        kept.add(new Change.ColumnUse(Change.TableRef.of(e.getValue()), c, null));
                    }
                }
            }
        }
        out.add(new Change.RecreateEnum(from, to, kept, released));
    }

    private static boolean uses(Column c, SchemaObjects.EnumType type) {
        return type.schema().equals(c.typeSchema()) && c.type().replace("[]", "").equals(type.name());
    }
}
