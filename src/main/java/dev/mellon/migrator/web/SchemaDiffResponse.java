package dev.mellon.migrator.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.introspect.UnmanagedObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** How one schema differs from another: by default, the live database from what the migration history expects. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "SchemaDiff")
public record SchemaDiffResponse(
        @Schema(description = "The baseline: migrations, database or migrations@<tag>") String from,
        @Schema(description = "What is compared with it") String to,
        @Schema(description = "The snapshot used for the migrations side, e.g. meta/0007_snapshot.json") String snapshot,
        @Schema(description = "True when there is no difference") boolean inSync,
        @Schema(description = "replay: the history's SQL replayed in a sandbox and read back, against PostgreSQL's print of "
                + "the other side (the default); canonical: both sides printed by PostgreSQL (a snapshot is rebuilt in a "
                + "sandbox); snapshot: two snapshots compared as drizzle-kit does; textual: the fallback without a sandbox. "
                + "Why a replay could not be had is among the warnings")
        String comparison,
        @Schema(description = "missing = in 'from' but not in 'to'; unexpected = in 'to' only; changed = in both, differing")
        List<Difference> differences,
        @Schema(description = "The statements that make 'to' match 'from' (by default: the database match the history)")
        List<String> sql,
        @Schema(description = "The hazards of those statements") List<PlanViews.HazardView> hazards,
        @Schema(description = "Without a replay: objects a snapshot cannot express (functions, triggers, extensions), listed, "
                + "never drift. With a replay they are compared by name and appear among the differences")
        List<UnmanagedObject> unmanaged,
        @Schema(description = "Journal entries the database has not applied. Against the database, the history means the "
                + "entries it has applied, so these are not drift") List<String> pending,
        @Schema(description = "What the history side's replay did") Replay replay,
        List<String> warnings) {

    @Schema(name = "Replay")
    public record Replay(
            @Schema(description = "The last entry replayed: the history side stands here") String lastTag,
            @Schema(description = "How many entries the replay holds") int entries,
            @Schema(description = "How many this request replayed (0: the kept replay was reused)") int replayedNow,
            @Schema(description = "Milliseconds this request spent on the replay") long millis,
            @Schema(description = "Extensions created in the sandbox before the first entry: the target's, that the history "
                    + "does not create itself") List<String> extensions,
            @Schema(description = "Statements of the history that did not run in the sandbox") List<NotRun> notReplayed) {
    }

    @Schema(name = "NotReplayed")
    public record NotRun(String tag, int statementIndex, String statement,
                         @Schema(description = "cluster-wide (roles, memberships, server settings, databases, tablespaces: "
                                 + "never run in a sandbox) or not-permitted (the sandbox role may not run it)") String reason,
                         @Schema(description = "For roles and memberships: present or missing on the target's server; "
                                 + "not-compared otherwise") String target) {
    }

    /** The engine's answer, as the API writes it. */
    public static SchemaDiffResponse of(dev.mellon.migrator.engine.schema.SchemaDiffs.Diff d) {
        Replay replay = d.replay() == null ? null : new Replay(d.replay().lastTag(), d.replay().entries(), d.replay().replayedNow(),
                d.replay().millis(), d.replay().extensions(), d.replay().notReplayed().stream()
                .map(n -> new NotRun(n.tag(), n.statementIndex(), n.statement(), n.reason(), n.target())).toList());
        return new SchemaDiffResponse(d.from(), d.to(), d.snapshotFile(), d.inSync(), d.comparison(), d.differences(),
                d.plan().sql(), PlanViews.hazards(d.plan().hazards()), d.unmanaged(), d.pending(), replay, d.warnings());
    }
}
