package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;

import java.util.List;
import java.util.Objects;

/** The steps for sequences: created, dropped, or altered when any option differs. */
final class SequenceDiff {

    private SequenceDiff() {
    }

    static void diff(SchemaModel source, SchemaModel target, List<Change> out) {
        Pairing.byKey(source.sequences(), target.sequences(), s -> out.add(new Change.CreateSequence(s)),
                s -> out.add(new Change.DropSequence(s)), (x, y) -> {
                    if (!sameOptions(x, y)) {
                        out.add(new Change.AlterSequence(x, y));
                    }
                });
    }

    private static boolean sameOptions(SchemaObjects.Sequence x, SchemaObjects.Sequence y) {
        return Objects.equals(x.increment(), y.increment()) && Objects.equals(x.startWith(), y.startWith())
                && Objects.equals(x.minValue(), y.minValue()) && Objects.equals(x.maxValue(), y.maxValue())
                && Objects.equals(x.cache(), y.cache()) && x.cycle() == y.cycle();
    }
}
