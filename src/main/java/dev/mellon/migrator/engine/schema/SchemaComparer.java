package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.ddl.Statement;
import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.diff.Comparison;
import dev.mellon.migrator.diff.DiffResult;
import dev.mellon.migrator.diff.Differ;
import dev.mellon.migrator.diff.Hazard;
import dev.mellon.migrator.diff.Hazards;
import dev.mellon.migrator.diff.Rename;
import dev.mellon.migrator.engine.sandbox.SandboxStatementException;
import dev.mellon.migrator.engine.sandbox.SandboxUnavailableException;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans the steps from one schema to another, choosing how to compare them: two snapshots as drizzle-kit does
 * (text for text); anything printed by PostgreSQL against a snapshot through a sandbox, so both sides are
 * printed by the same deparser; and textually only when no sandbox can be had, saying so.
 */
public final class SchemaComparer {

    private final Canonicalizer canonicalizer;

    public SchemaComparer(Canonicalizer canonicalizer) {
        this.canonicalizer = canonicalizer;
    }

    /** How a plan is written: drizzle-kit's way, the zero-downtime way, or all in one transaction (push). */
    public enum Style { DRIZZLE, ONLINE, SINGLE_TRANSACTION }

    public SchemaPlan plan(SchemaSource current, SchemaSource desired, List<Rename> renames, Style style) {
        List<String> warnings = new ArrayList<>();
        SchemaModel from = current.model();
        SchemaModel to = desired.model();
        String comparison;
        Comparison mode;
        if (current.origin() == desired.origin()) {
            comparison = current.origin() == SchemaSource.Origin.SNAPSHOT ? "snapshot" : "canonical";
            mode = Comparison.EXACT;
        } else {
            try {
                if (current.origin() == SchemaSource.Origin.SNAPSHOT) {
                    from = canonicalizer.canonical(from);
                } else {
                    to = canonicalizer.canonical(to);
                }
                comparison = "canonical";
                mode = Comparison.EXACT;
            } catch (SandboxUnavailableException e) {
                comparison = "textual";
                mode = Comparison.TEXTUAL;
                warnings.add("Compared textually, not through PostgreSQL: no sandbox can be had (" + e.getMessage()
                        + "). Expressions PostgreSQL re-prints may show up as differences.");
            } catch (SandboxStatementException e) {
                if (e.kind() == SandboxStatementException.Kind.REFUSED) {
                    throw e; // the snapshot carries something that is not a schema: the caller's to fix
                }
                // The server's own message can quote what the statement read: it stays in the log, under the errorId.
                comparison = "textual";
                mode = Comparison.TEXTUAL;
                warnings.add("Compared textually, not through PostgreSQL: the snapshot's schema could not be built in a "
                        + "sandbox (" + e.getMessage() + "; errorId " + e.errorId() + "). Expressions PostgreSQL re-prints "
                        + "may show up as differences.");
            }
        }
        // Roles are compared only between snapshots: introspection does not read them.
        boolean roles = current.origin() == SchemaSource.Origin.SNAPSHOT && desired.origin() == SchemaSource.Origin.SNAPSHOT;
        DiffResult diff = new Differ(new Differ.Options(mode, renames, roles)).diff(from, to);
        refuseKeysOnDroppedTables(diff, to);
        return planOf(diff.changes(), style, comparison, diff.renameCandidates(), warnings);
    }

    /** The statements and hazards of {@code changes}, written in {@code style}. */
    public static SchemaPlan planOf(List<Change> changes, Style style, String comparison, List<Rename> renameCandidates,
                                    List<String> warnings) {
        MigrationWriter writer = switch (style) {
            case DRIZZLE -> MigrationWriter.drizzle();
            case ONLINE -> new MigrationWriter(true);
            case SINGLE_TRANSACTION -> MigrationWriter.transactional();
        };
        List<Statement> statements = writer.write(changes);
        List<Hazard> hazards = new ArrayList<>();
        for (Change c : changes) {
            hazards.addAll(Hazards.of(c, style == Style.ONLINE));
        }
        return new SchemaPlan(comparison, changes, statements, hazards, renameCandidates, warnings);
    }

    /**
     * A desired schema that keeps a foreign key to a table the step drops contradicts itself: {@code DROP TABLE …
     * CASCADE} would remove the key it says is there (drizzle-kit writes the drop and says nothing). A key to a table
     * the schema never had (one outside its schemas, such as Supabase's {@code auth.users}) is left alone.
     */
    private static void refuseKeysOnDroppedTables(DiffResult diff, SchemaModel to) {
        for (Change c : diff.changes()) {
            if (!(c instanceof Change.DropTable dropped)) {
                continue;
            }
            String key = Change.TableRef.of(dropped.table()).key();
            for (Table t : to.tables().values()) {
                for (Constraints.ForeignKey fk : t.foreignKeys().values()) {
                    String target = (fk.schemaTo() == null || fk.schemaTo().isEmpty() ? "public" : fk.schemaTo()) + "." + fk.tableTo();
                    if (target.equals(key)) {
                        throw new GenerateRefusedException(GenerateRefusedException.Reason.INCONSISTENT, "The desired schema "
                                + "drops table " + key + " but keeps foreign key " + fk.name() + " of " + t.schemaName() + "."
                                + t.name() + " that references it (DROP TABLE … CASCADE would remove the key). Keep the "
                                + "table in the schema, or remove the reference");
                    }
                }
            }
        }
    }
}
