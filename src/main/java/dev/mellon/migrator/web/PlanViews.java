package dev.mellon.migrator.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.diff.Hazard;
import dev.mellon.migrator.diff.Rename;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Locale;

/** How plans (typed changes, hazards, rename candidates) are shown in responses. */
public final class PlanViews {

    private PlanViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Change", description = "One step of a plan")
    public record ChangeView(
            @Schema(description = "schema, enum, sequence, role, table, column, primaryKey, foreignKey, unique, check, index, policy, view")
            String kind,
            @Schema(description = "Qualified name, e.g. public.users.email") String name,
            @Schema(description = "create, drop, alter or rename") String action,
            @Schema(description = "For column alterations: type, default, notNull, identity or generated") String attribute) {
    }

    @Schema(name = "Hazard", description = "A risk of one step")
    public record HazardView(
            @Schema(description = "deletes-data, rewrites-table, access-exclusive-lock, blocks-writes-while-indexing, "
                    + "may-fail-on-existing-rows, drops-dependency, changes-access, not-transactional") String code,
            @Schema(description = "The object concerned") String object,
            String message) {
    }

    @Schema(name = "Rename", description = "A rename hint or candidate")
    public record RenameView(@Schema(description = "schema, table, column or enum") String kind, String from, String to) {
    }

    @Schema(name = "PlanGroup", description = "One transaction of an apply plan, or one migration run outside a transaction")
    public record GroupView(
            @Schema(description = "batch (the run's transaction), own (one migration's), no-transaction or self-managed")
            String transaction,
            List<PlannedMigrationView> migrations) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "PlannedMigration")
    public record PlannedMigrationView(String tag, @Schema(description = "transaction, no-transaction or self-managed") String mode,
                                @Schema(description = "For an interrupted entry: statements already done") Integer resumeFrom,
                                List<PlannedStatementView> statements) {
    }

    @Schema(name = "PlannedStatement")
    public record PlannedStatementView(@Schema(description = "1-based, as reported in failures") int index,
                                @Schema(description = "The statement as it will be sent") String sql,
                                List<HazardView> hazards,
                                @Schema(description = "Existing tables it touches, with estimated rows and total bytes")
                                List<dev.mellon.migrator.engine.apply.PlanGroup.TableSize> tables) {
    }

    public static List<GroupView> plan(List<dev.mellon.migrator.engine.apply.PlanGroup> groups) {
        if (groups == null) {
            return null;
        }
        return groups.stream().map(g -> new GroupView(g.transaction(), g.migrations().stream()
                .map(m -> new PlannedMigrationView(m.tag(), m.mode(), m.resumeFrom(), m.statements().stream()
                        .map(s -> new PlannedStatementView(s.index(), s.sql(), hazards(s.hazards()), s.tables())).toList()))
                .toList())).toList();
    }

    public static List<ChangeView> changes(List<Change> changes) {
        return changes.stream().map(c -> new ChangeView(c.kind(), c.name(), c.effect().name().toLowerCase(Locale.ROOT),
                c instanceof Change.ColumnChange cc ? cc.attribute() : null)).toList();
    }

    public static List<HazardView> hazards(List<Hazard> hazards) {
        return hazards.stream().map(h -> new HazardView(h.code().label(), h.object(), h.message())).toList();
    }

    public static List<RenameView> renames(List<Rename> renames) {
        return renames.stream().map(r -> new RenameView(r.kind().label(), r.from(), r.to())).toList();
    }
}
