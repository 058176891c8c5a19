package dev.mellon.migrator.diff;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/** Matches the objects of two snapshots by key, in the order drizzle-kit writes them. */
final class Pairing {

    private Pairing() {
    }

    /**
     * Calls {@code both} for each key the two maps share, in {@code from}'s order; {@code created} for each key only
     * {@code to} has, in its order; then {@code dropped} for each key only {@code from} has. drizzle-kit writes
     * objects in the order the snapshots list them: altered ones as the old snapshot lists them.
     */
    static <T> void byKey(Map<String, T> from, Map<String, T> to, Consumer<T> created, Consumer<T> dropped, BiConsumer<T, T> both) {
        for (Map.Entry<String, T> e : from.entrySet()) {
            T now = to.get(e.getKey());
            if (now != null) {
                both.accept(e.getValue(), now);
            }
        }
        for (Map.Entry<String, T> e : to.entrySet()) {
            if (!from.containsKey(e.getKey())) {
                created.accept(e.getValue());
            }
        }
        for (Map.Entry<String, T> e : from.entrySet()) {
            if (!to.containsKey(e.getKey())) {
                dropped.accept(e.getValue());
            }
        }
    }

    /**
     * {@link #byKey} for objects PostgreSQL cannot alter in place (a constraint, an index, a view): one that is not
     * {@code same} on both sides is dropped and created again, as drizzle-kit does.
     */
    static <T> void byKeyRecreating(Map<String, T> from, Map<String, T> to, Consumer<T> created, Consumer<T> dropped,
                                    BiPredicate<T, T> same) {
        byKey(from, to, created, dropped, (x, y) -> {
            if (!same.test(x, y)) {
                dropped.accept(x);
                created.accept(y);
            }
        });
    }
}
