package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.ExecutionMode;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.SqlScanner;
import dev.mellon.migrator.folder.StatementKinds;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides how each migration of a plan runs, and where the batch transaction must be committed early: after a
 * migration that adds an enum value a later migration of the same batch uses (PostgreSQL refuses to use a value added
 * in the same transaction, SQLSTATE 55P04).
 */
public final class ExecutionModes {

    private ExecutionModes() {
    }

    /** One migration's mode, the statements it runs in that mode, and whether the batch must commit after it. */
    public record Step(Migration migration, ExecutionMode mode, List<String> statements, boolean commitAfter, String reason) {
    }

    public static List<Step> of(List<Migration> plan) {
        List<List<String>> statements = new ArrayList<>();
        for (Migration m : plan) {
            statements.add(StatementKinds.topLevelStatements(m.statements()));
        }
        List<Step> steps = new ArrayList<>(plan.size());
        for (int i = 0; i < plan.size(); i++) {
            Migration migration = plan.get(i);
            List<String> own = statements.get(i);
            if (migration.managesOwnTransaction()) {
                steps.add(new Step(migration, ExecutionMode.SELF_MANAGED, migration.statements(), false,
                        "it runs " + SqlScanner.firstLine(migration.transactionControl()) + " itself"));
                continue;
            }
            Optional<String> refused = own.stream().filter(StatementKinds::refusedInTransaction).findFirst();
            Optional<String> usedEnumValue = usedAfterAdding(own);
            if (refused.isPresent() || usedEnumValue.isPresent()) {
                String reason = refused.map(s -> "PostgreSQL runs " + SqlScanner.firstLine(s) + " only outside a transaction")
                        .orElseGet(() -> "it uses the enum value '" + usedEnumValue.get() + "' it adds");
                steps.add(new Step(migration, ExecutionMode.NO_TRANSACTION, own, false, reason));
                continue;
            }
            int next = i + 1;
            boolean commitAfter = own.stream().map(StatementKinds::addedEnumValue).flatMap(Optional::stream)
                    .anyMatch(value -> usedLater(statements, next, value));
            steps.add(new Step(migration, ExecutionMode.TRANSACTION, migration.statements(), commitAfter, null));
        }
        return steps;
    }

    /** An enum value a statement adds and a later statement of the same list quotes. */
    private static Optional<String> usedAfterAdding(List<String> statements) {
        for (int i = 0; i < statements.size(); i++) {
            Optional<String> added = StatementKinds.addedEnumValue(statements.get(i));
            if (added.isPresent()) {
                for (int j = i + 1; j < statements.size(); j++) {
                    if (StatementKinds.mentionsLiteral(statements.get(j), added.get())) {
                        return added;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean usedLater(List<List<String>> statements, int from, String value) {
        for (int i = from; i < statements.size(); i++) {
            for (String statement : statements.get(i)) {
                if (StatementKinds.mentionsLiteral(statement, value)) {
                    return true;
                }
            }
        }
        return false;
    }
}
