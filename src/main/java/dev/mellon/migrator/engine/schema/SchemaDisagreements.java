package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.diff.Differ;
import dev.mellon.migrator.diff.DriftReport;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.Table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What differs between two schemas PostgreSQL printed (one made by a history's SQL, one built from a snapshot), roles
 * aside: they are cluster-wide, and no sandbox makes them.
 */
final class SchemaDisagreements {

    private SchemaDisagreements() {
    }

    /**
     * Each difference from {@code actual} towards {@code expected}. A policy {@code TO current_user} (or
     * {@code session_user}, {@code current_role}) names the role that ran it, resolved when it was created: in a
     * sandbox that is {@code executingRole}, so the two mean the same there.
     */
    static List<Difference> between(SchemaModel actual, SchemaModel expected, String executingRole) {
        List<Change> changes = new Differ(Differ.Options.exact()).diff(withRunningRole(actual, executingRole),
                        withRunningRole(expected, executingRole)).changes().stream()
                .filter(c -> !(c instanceof Change.CreateRole || c instanceof Change.DropRole || c instanceof Change.AlterRole))
                .toList();
        return DriftReport.of(changes);
    }

    /** A difference's identity, to tell one found before from one that appeared since. */
    static String id(Difference d) {
        return d.objectKind() + " " + d.name() + " " + d.change() + " " + d.attribute();
    }

    private static final Set<String> RUNNING_ROLE = Set.of("current_user", "session_user", "current_role");

    /** {@code model} with each policy's role that means "whoever ran it" written {@code current_user}. */
    static SchemaModel withRunningRole(SchemaModel model, String executingRole) {
        Map<String, Table> tables = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<String, Table> e : model.tables().entrySet()) {
            Table t = e.getValue();
            Map<String, Constraints.Policy> policies = new LinkedHashMap<>();
            boolean tableChanged = false;
            for (Map.Entry<String, Constraints.Policy> p : t.policies().entrySet()) {
                Constraints.Policy policy = p.getValue();
                if (policy.to() != null && policy.to().stream().anyMatch(r -> RUNNING_ROLE.contains(r) || r.equals(executingRole))) {
                    List<String> to = policy.to().stream().map(r -> RUNNING_ROLE.contains(r) || r.equals(executingRole)
                            ? "current_user" : r).distinct().sorted().toList();
                    policy = new Constraints.Policy(policy.name(), policy.as(), policy.forCommand(), to, policy.using(),
                            policy.withCheck(), policy.on(), policy.schema());
                    tableChanged = true;
                }
                policies.put(p.getKey(), policy);
            }
            if (tableChanged) {
                t = new Table(t.name(), t.schema(), t.columns(), t.indexes(), t.foreignKeys(), t.compositePrimaryKeys(),
                        t.uniqueConstraints(), policies, t.checkConstraints(), t.isRLSEnabled());
                changed = true;
            }
            tables.put(e.getKey(), t);
        }
        return changed ? new SchemaModel(tables, model.enums(), model.schemas(), model.sequences(), model.roles(),
                model.policies(), model.views()) : model;
    }
}
