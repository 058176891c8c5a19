package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Table;

import java.util.List;
import java.util.Objects;

/** The steps for the row-level security of a table both schemas have: enabled or disabled, and its policies. */
final class PolicyDiff {

    private final Comparison comparison;

    PolicyDiff(Comparison comparison) {
        this.comparison = comparison;
    }

    /** drizzle-kit enables row-level security for a table with policies even without {@code enableRLS()}. */
    static boolean rlsEnabled(Table t) {
        return t.isRLSEnabled() || !t.policies().isEmpty();
    }

    /**
     * A policy whose kind (permissive or restrictive) or command changes is dropped and created again: {@code ALTER
     * POLICY} changes only its roles and expressions.
     */
    void diff(Change.TableRef ref, Table from, Table to, List<Change> out) {
        boolean wasRls = rlsEnabled(from);
        boolean isRls = rlsEnabled(to);
        if (isRls && !wasRls) {
            out.add(new Change.EnableRls(ref));
        } else if (wasRls && !isRls) {
            out.add(new Change.DisableRls(ref));
        }
        Pairing.byKey(from.policies(), to.policies(), p -> out.add(new Change.CreatePolicy(ref, p)),
                p -> out.add(new Change.DropPolicy(ref, p)), (x, y) -> {
                    if (!sameKindAndCommand(x, y)) {
                        out.add(new Change.DropPolicy(ref, x));
                        out.add(new Change.CreatePolicy(ref, y));
                    } else if (!roles(x).equals(roles(y)) || !comparison.sameExpression(x.using(), y.using())
                            || !comparison.sameExpression(x.withCheck(), y.withCheck())) {
                        out.add(new Change.AlterPolicy(ref, x, y));
                    }
                });
    }

    private static boolean sameKindAndCommand(Constraints.Policy x, Constraints.Policy y) {
        return Objects.requireNonNullElse(x.as(), "PERMISSIVE").equals(Objects.requireNonNullElse(y.as(), "PERMISSIVE"))
                && Objects.requireNonNullElse(x.forCommand(), "ALL").equals(Objects.requireNonNullElse(y.forCommand(), "ALL"));
    }

    private static List<String> roles(Constraints.Policy p) {
        return p.to() == null || p.to().isEmpty() ? List.of("public") : p.to().stream().sorted().toList();
    }
}
