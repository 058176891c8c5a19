package dev.mellon.migrator.api;

import dev.mellon.migrator.ddl.CreateScript;
import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.diff.DriftReport;
import dev.mellon.migrator.engine.Canonicalizer;
import dev.mellon.migrator.engine.MigrationState;
import dev.mellon.migrator.engine.MigrationStatus;
import dev.mellon.migrator.engine.Migrator;
import dev.mellon.migrator.engine.SchemaComparer;
import dev.mellon.migrator.engine.SchemaInspector;
import dev.mellon.migrator.engine.SchemaPlan;
import dev.mellon.migrator.engine.SchemaSource;
import dev.mellon.migrator.engine.StatusReport;
import dev.mellon.migrator.engine.UnknownMigrationException;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.introspect.Introspection;
import dev.mellon.migrator.introspect.UnmanagedObject;
import dev.mellon.migrator.schema.MermaidDiagram;
import dev.mellon.migrator.schema.ModelFilter;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.Snapshot;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /schema} and {@code GET /schema/diff} without HTTP: the resource and the command line's {@code schema}
 * and {@code diff} commands answer from the same code.
 */
@ApplicationScoped
public class SchemaViews {

    @Inject
    SchemaInspector inspector;

    @Inject
    Migrator migrator;

    @Inject
    SchemaComparer comparer;

    /** One side of a comparison: the database, or the snapshot after a journal entry. */
    record Side(String name, SchemaModel model, String snapshotFile, List<UnmanagedObject> unmanaged, List<String> warnings) {
    }

    /** A schema written in one format, with its media type. */
    public record Rendered(String body, String mediaType) {
    }

    /** The schema of {@code source} (database, migrations, migrations@tag) as json, sql or mermaid. */
    public Rendered schema(String format, String source, String schemaFilter, String tablesFilter) {
        String chosen = format == null || format.isBlank() ? "json" : format;
        if (!List.of("json", "sql", "mermaid").contains(chosen)) {
            throw new InvalidRequestException("format", "Unknown format \"" + format + "\"; use json, sql or mermaid");
        }
        Side side = side("source", source == null || source.isBlank() ? "database" : source, filter("schemaFilter", schemaFilter),
                filter("tablesFilter", tablesFilter), null, null);
        SchemaModel model = side.model();
        return switch (chosen) {
            case "sql" -> new Rendered(CreateScript.script(model), SchemaResource.SQL);
            case "mermaid" -> new Rendered(MermaidDiagram.of(model), SchemaResource.MERMAID);
            default -> new Rendered(inspector.codec().write(new Snapshot(Snapshot.ROOT_ID, "", "7", "postgresql", model,
                    Map.of())), MediaType.APPLICATION_JSON);
        };
    }

    /** How {@code from} differs from {@code to} (by default: the database from the history's last snapshot). */
    public SchemaDiffResponse diff(String from, String to, String schemaFilter, String tablesFilter) {
        String fromName = from == null || from.isBlank() ? "migrations" : from;
        String toName = to == null || to.isBlank() ? "database" : to;
        NameFilter tables = filter("tablesFilter", tablesFilter);
        NameFilter schemas = schemaFilter == null || schemaFilter.isBlank() ? null : filter("schemaFilter", schemaFilter);
        // The folder is read once for the request: both sides and the status use the same files.
        MigrationFolder folder = migrator.currentFolder();
        Side base = side("from", fromName, schemas, tables, null, folder);
        Side other = side("to", toName, schemas, tables, base.model(), folder);
        // Without a filter, compare the schemas the history knows (drizzle's schemaFilter is the same idea).
        NameFilter scope = schemas != null ? schemas
                : SchemaInspector.schemasOf(fromName.equals("database") ? other.model() : base.model());
        SchemaModel expected = ModelFilter.apply(base.model(), scope, tables);
        SchemaModel actual = ModelFilter.apply(other.model(), scope, tables);
        SchemaPlan plan = repair(source(fromName, expected), source(toName, actual));
        List<Difference> differences = DriftReport.of(plan.changes());
        List<String> warnings = new ArrayList<>(base.warnings());
        warnings.addAll(other.warnings());
        warnings.addAll(plan.warnings());
        List<String> pending = List.of();
        SchemaDiffResponse.Against against = null;
        boolean involvesDatabase = fromName.equals("database") || toName.equals("database");
        if (involvesDatabase) {
            StatusReport status = migrator.status(folder);
            pending = status.migrations().stream().filter(s -> s.state() != MigrationState.APPLIED).map(MigrationStatus::tag).toList();
            boolean latest = fromName.equals("migrations") || toName.equals("migrations");
            if (!pending.isEmpty() && latest) {
                warnings.add(pending.size() + " journal entr" + (pending.size() == 1 ? "y is" : "ies are")
                        + " not applied, so the database is expected to differ from the last snapshot; see againstLastApplied");
                against = againstLastApplied(status, fromName.equals("database") ? base : other, scope, tables);
            }
        }
        List<UnmanagedObject> unmanaged = new ArrayList<>(base.unmanaged());
        unmanaged.addAll(other.unmanaged());
        String snapshot = base.snapshotFile() != null ? base.snapshotFile() : other.snapshotFile();
        return new SchemaDiffResponse(fromName, toName, snapshot, differences.isEmpty(), plan.comparison(), differences,
                plan.sql(), PlanViews.hazards(plan.hazards()), unmanaged, pending, against, warnings);
    }

    /** The steps that make {@code actual} match {@code expected}: drift's repair plan, compared canonically. */
    SchemaPlan repair(SchemaSource expected, SchemaSource actual) {
        return comparer.plan(actual, expected, List.of(), SchemaComparer.Style.DRIZZLE);
    }

    private static SchemaSource source(String name, SchemaModel model) {
        return name.equals("database") || name.equals("sql") ? SchemaSource.postgres(name, model) : SchemaSource.snapshot(name, model);
    }

    private SchemaDiffResponse.Against againstLastApplied(StatusReport status, Side database, NameFilter scope, NameFilter tables) {
        String lastApplied = null;
        for (MigrationStatus s : status.migrations()) {
            if (s.state() == MigrationState.APPLIED) {
                lastApplied = s.tag();
            }
        }
        SchemaInspector.ExpectedSchema expected = lastApplied == null ? null : inspector.expected(status.folder(), lastApplied);
        SchemaModel model = expected == null ? SchemaModel.empty() : SchemaInspector.modelOf(expected);
        List<Difference> differences = DriftReport.of(repair(SchemaSource.snapshot("migrations", ModelFilter.apply(model, scope, tables)),
                SchemaSource.postgres("database", ModelFilter.apply(database.model(), scope, tables))).changes());
        return new SchemaDiffResponse.Against(lastApplied, expected == null ? null : expected.file(), differences.isEmpty(), differences);
    }

    /**
     * Resolves {@code database}, {@code migrations} or {@code migrations@<tag>}. For the database, {@code peer} (the
     * other side's model) decides which schemas to read when no filter is given.
     */
    Side side(String field, String name, NameFilter schemas, NameFilter tables, SchemaModel peer,
                      MigrationFolder knownFolder) {
        if (name.equals("database")) {
            NameFilter scope = schemas != null ? schemas : peer != null ? SchemaInspector.schemasOf(peer) : NameFilter.all();
            Introspection live = inspector.introspect(scope, tables);
            return new Side(name, live.schema(), null, live.unmanaged(), List.of());
        }
        if (name.equals("migrations") || name.startsWith("migrations@")) {
            String tag = name.equals("migrations") ? null : name.substring("migrations@".length());
            MigrationFolder folder = knownFolder != null ? knownFolder : migrator.currentFolder();
            SchemaInspector.ExpectedSchema expected;
            try {
                expected = inspector.expected(folder, tag);
            } catch (UnknownMigrationException e) {
                throw new InvalidRequestException(field, "The journal has no migration tagged \"" + tag + "\"");
            }
            SchemaModel model = SchemaInspector.modelOf(expected);
            if (schemas != null) {
                model = ModelFilter.apply(model, schemas, tables);
            }
            return new Side(name, model, expected.file(), List.of(), expected.warnings());
        }
        throw new InvalidRequestException(field, "Unknown " + field + " \"" + name + "\"; use database, migrations or migrations@<tag>");
    }

    private static NameFilter filter(String field, String patterns) {
        if (patterns == null || patterns.isBlank()) {
            return NameFilter.all();
        }
        try {
            return NameFilter.of(Arrays.asList(patterns.split(",")));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, e.getMessage());
        }
    }
}
