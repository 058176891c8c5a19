package dev.mellon.migrator.web;

import dev.mellon.migrator.ddl.CreateScript;
import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaInspector;
import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.engine.schema.InvalidSourceException;
import dev.mellon.migrator.engine.schema.SchemaDiffs;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.introspect.Introspection;
import dev.mellon.migrator.introspect.UnmanagedObject;
import dev.mellon.migrator.schema.MermaidDiagram;
import dev.mellon.migrator.schema.ModelFilter;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.Snapshot;
import jakarta.inject.Inject;
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

    /** The media types of the schema as a CREATE script and as a Mermaid ER diagram. */
    public static final String SQL = "application/sql";
    public static final String MERMAID = "text/vnd.mermaid";

    @Inject
    SchemaInspector inspector;

    @Inject
    Migrator migrator;

    @Inject
    SchemaComparer comparer;

    @Inject
    SchemaDiffs diffs;

    /** One side of a comparison: the database, or the snapshot after a journal entry. */
    public record Side(String name, SchemaModel model, String snapshotFile, List<UnmanagedObject> unmanaged, List<String> warnings) {
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
            case "sql" -> new Rendered(CreateScript.script(model), SQL);
            case "mermaid" -> new Rendered(MermaidDiagram.of(model), MERMAID);
            default -> new Rendered(inspector.codec().write(new Snapshot(Snapshot.ROOT_ID, "", "7", "postgresql", model,
                    Map.of())), MediaType.APPLICATION_JSON);
        };
    }

    /**
     * How {@code from} differs from {@code to}: by default the database from what the history's applied entries
     * produce (their SQL replayed in a sandbox).
     */
    public SchemaDiffResponse diff(String from, String to, String schemaFilter, String tablesFilter) {
        String fromName = from == null || from.isBlank() ? "migrations" : from;
        String toName = to == null || to.isBlank() ? "database" : to;
        NameFilter tables = filter("tablesFilter", tablesFilter);
        NameFilter schemas = schemaFilter == null || schemaFilter.isBlank() ? null : filter("schemaFilter", schemaFilter);
        return SchemaDiffResponse.of(diffs.diff(fromName, source("from", fromName), toName, source("to", toName), schemas, tables));
    }

    private SchemaDiffs.Source source(String field, String name) {
        SchemaDiffs.Source source;
        try {
            source = SchemaDiffs.named(field, name);
        } catch (InvalidSourceException e) {
            throw new InvalidRequestException(e.field(), e.getMessage());
        }
        if (source instanceof SchemaDiffs.History h && h.tag() != null && migrator.currentFolder().find(h.tag()).isEmpty()) {
            throw new InvalidRequestException(field, "The journal has no migration tagged \"" + h.tag() + "\"");
        }
        return source;
    }

    /**
     * Resolves {@code database}, {@code migrations} or {@code migrations@<tag>}. For the database, {@code peer} (the
     * other side's model) decides which schemas to read when no filter is given.
     */
    public Side side(String field, String name, NameFilter schemas, NameFilter tables, SchemaModel peer,
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
