package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.ddl.CreateScript;
import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.introspect.Introspection;
import dev.mellon.migrator.introspect.UnmanagedObject;
import dev.mellon.migrator.schema.MermaidDiagram;
import dev.mellon.migrator.schema.ModelFilter;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.Snapshot;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The schema of a named source ({@code database}, {@code migrations}, {@code migrations@<tag>}) in a format, and the
 * difference between two named sources: what {@code GET /schema}, {@code GET /schema/diff} and the command line's
 * {@code schema} and {@code diff} answer. A name or filter that means nothing is an {@link InvalidSourceException}
 * naming the field.
 */
public final class SchemaViewer {

    /** The media types of the schema as JSON, as a CREATE script and as a Mermaid ER diagram. */
    public static final String JSON = "application/json";
    public static final String SQL = "application/sql";
    public static final String MERMAID = "text/vnd.mermaid";

    private final SchemaInspector inspector;
    private final SchemaDiffs diffs;
    private final Supplier<MigrationFolder> folder;

    /** @param folder the folder for a read-only answer (the cached copy while nothing changed) */
    public SchemaViewer(SchemaInspector inspector, SchemaDiffs diffs, Supplier<MigrationFolder> folder) {
        this.inspector = inspector;
        this.diffs = diffs;
        this.folder = folder;
    }

    /** One side of a comparison: the database, or the snapshot after an entry. */
    public record Side(String name, SchemaModel model, String snapshotFile, List<UnmanagedObject> unmanaged, List<String> warnings) {
    }

    /** A schema written in one format, with its media type. */
    public record Rendered(String body, String mediaType) {
    }

    /** The schema of {@code source} (database, migrations, migrations@tag) as json, sql or mermaid. */
    public Rendered schema(String format, String source, String schemaFilter, String tablesFilter) {
        String chosen = format == null || format.isBlank() ? "json" : format;
        if (!List.of("json", "sql", "mermaid").contains(chosen)) {
            throw new InvalidSourceException("format", "Unknown format \"" + format + "\"; use json, sql or mermaid");
        }
        Side side = side("source", source == null || source.isBlank() ? "database" : source, filter("schemaFilter", schemaFilter),
                filter("tablesFilter", tablesFilter), null, null);
        SchemaModel model = side.model();
        return switch (chosen) {
            case "sql" -> new Rendered(CreateScript.script(model), SQL);
            case "mermaid" -> new Rendered(MermaidDiagram.of(model), MERMAID);
            default -> new Rendered(inspector.codec().write(new Snapshot(Snapshot.ROOT_ID, "", "7", "postgresql", model,
                    Map.of())), JSON);
        };
    }

    /**
     * How {@code from} differs from {@code to}: by default the database from what the history's applied entries
     * produce (their SQL replayed in a sandbox).
     */
    public SchemaDiffs.Diff diff(String from, String to, String schemaFilter, String tablesFilter) {
        String fromName = from == null || from.isBlank() ? "migrations" : from;
        String toName = to == null || to.isBlank() ? "database" : to;
        NameFilter tables = filter("tablesFilter", tablesFilter);
        NameFilter schemas = schemaFilter == null || schemaFilter.isBlank() ? null : filter("schemaFilter", schemaFilter);
        return diffs.diff(fromName, source("from", fromName), toName, source("to", toName), schemas, tables);
    }

    /** A named source checked against the folder: an unknown tag is the caller's mistake in {@code field}. */
    public SchemaDiffs.Source source(String field, String name) {
        SchemaDiffs.Source source = SchemaDiffs.named(field, name);
        if (source instanceof SchemaDiffs.History h && h.tag() != null) {
            requireTag(field, h.tag());
        }
        return source;
    }

    /** Refuses a tag the folder does not have. */
    public void requireTag(String field, String tag) {
        if (folder.get().find(tag).isEmpty()) {
            throw new InvalidSourceException(field, "The folder has no migration tagged \"" + tag + "\"");
        }
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
            SchemaInspector.ExpectedSchema expected;
            try {
                expected = inspector.expected(knownFolder != null ? knownFolder : folder.get(), tag);
            } catch (UnknownMigrationException e) {
                throw new InvalidSourceException(field, "The folder has no migration tagged \"" + tag + "\"");
            }
            SchemaModel model = SchemaInspector.modelOf(expected);
            if (schemas != null) {
                model = ModelFilter.apply(model, schemas, tables);
            }
            return new Side(name, model, expected.file(), List.of(), expected.warnings());
        }
        throw new InvalidSourceException(field, "Unknown " + field + " \"" + name + "\"; use database, migrations or migrations@<tag>");
    }

    private static NameFilter filter(String field, String patterns) {
        if (patterns == null || patterns.isBlank()) {
            return NameFilter.all();
        }
        try {
            return NameFilter.of(Arrays.asList(patterns.split(",")));
        } catch (IllegalArgumentException e) {
            throw new InvalidSourceException(field, e.getMessage());
        }
    }
}
