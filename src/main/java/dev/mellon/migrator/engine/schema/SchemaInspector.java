package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.engine.core.DatabaseErrors;
import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.diff.SchemaDiff;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.folder.SnapshotFile;
import dev.mellon.migrator.introspect.IntrospectOptions;
import dev.mellon.migrator.introspect.Introspection;
import dev.mellon.migrator.introspect.Introspector;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.Snapshot;
import dev.mellon.migrator.schema.SnapshotCodec;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The schema use cases: the schema the history expects (a snapshot), the live one (introspection), and the drift
 * between them. Atlas's split: inspect (here), diff ({@link SchemaDiff}), plan (a later stage).
 */
public final class SchemaInspector {

    private final Path folderPath;
    private final FolderReader reader;
    private final DataSource pool;
    private final TrackingTable tracking;
    private final SnapshotCodec codec = new SnapshotCodec();

    public SchemaInspector(Path folderPath, FolderReader reader, DataSource pool, TrackingTable tracking) {
        this.folderPath = folderPath;
        this.reader = reader;
        this.pool = pool;
        this.tracking = tracking;
    }

    /** A snapshot as the history holds it, with the journal entry it belongs to. */
    public record ExpectedSchema(String tag, String file, Snapshot snapshot, List<String> warnings) {
    }

    /**
     * The schema after journal entry {@code tag} ({@code null}: the last entry). An entry without a snapshot is
     * represented by the nearest earlier one, with a warning.
     */
    public ExpectedSchema expected(MigrationFolder folder, String tag) {
        List<Migration> migrations = folder.migrations();
        int index = migrations.size() - 1;
        if (tag != null) {
            index = -1;
            for (int i = 0; i < migrations.size(); i++) {
                if (migrations.get(i).tag().equals(tag)) {
                    index = i;
                }
            }
            if (index < 0) {
                throw new UnknownMigrationException(tag, "migrations@");
            }
        }
        List<String> warnings = new ArrayList<>();
        Map<String, SnapshotFile> snapshots = MigrationSnapshots.of(reader, codec, folder);
        for (int i = index; i >= 0; i--) {
            SnapshotFile file = snapshots.get(migrations.get(i).tag());
            if (file != null) {
                if (i != index) {
                    warnings.add("\"" + migrations.get(index).tag() + "\" has no snapshot; using " + file.path() + " of \""
                            + migrations.get(i).tag() + "\", the nearest earlier one");
                }
                return new ExpectedSchema(migrations.get(i).tag(), file.path(), codec.read(file.text(), file.path()), warnings);
            }
        }
        warnings.add("The history has no snapshot at or before this entry; expecting an empty schema");
        return new ExpectedSchema(null, null, null, warnings);
    }

    public SnapshotCodec codec() {
        return codec;
    }

    /** The live database, without the tracking, audit and progress tables. */
    public Introspection introspect(NameFilter schemas, NameFilter tables) {
        IntrospectOptions options = new IntrospectOptions(schemas, tables, tracking.ownTables());
        try (Connection connection = pool.getConnection()) {
            return new Introspector().introspect(connection, options);
        } catch (SQLException e) {
            throw DatabaseErrors.translate("Could not read the database schema", e);
        }
    }

    private static final String EXTENSIONS = """
            select e.extname, n.nspname
              from pg_extension e join pg_namespace n on n.oid = e.extnamespace
             where e.extname <> 'plpgsql'
             order by 1""";

    /** The target's extensions (but plpgsql, which every database has), with their schemas. */
    public List<dev.mellon.migrator.engine.sandbox.Extension> extensions() {
        List<dev.mellon.migrator.engine.sandbox.Extension> out = new ArrayList<>();
        try (Connection connection = pool.getConnection(); java.sql.Statement st = connection.createStatement();
             java.sql.ResultSet rs = st.executeQuery(EXTENSIONS)) {
            while (rs.next()) {
                out.add(new dev.mellon.migrator.engine.sandbox.Extension(rs.getString(1), rs.getString(2)));
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate("Could not read the database's extensions", e);
        }
        return out;
    }

    /** The schemas an expected model uses, plus {@code public}: what drift compares when no filter is given. */
    public static NameFilter schemasOf(SchemaModel model) {
        return schemasOf(model, List.of());
    }

    /** As {@link #schemasOf(SchemaModel)}, plus {@code more}. */
    public static NameFilter schemasOf(SchemaModel model, List<String> more) {
        Set<String> names = new LinkedHashSet<>();
        names.addAll(more);
        names.add("public");
        names.addAll(model.schemas().keySet());
        model.tables().values().forEach(t -> names.add(t.schemaName()));
        model.enums().values().forEach(e -> names.add(e.schema()));
        model.views().values().forEach(v -> names.add(v.schema()));
        model.sequences().values().forEach(s -> names.add(s.schema()));
        return NameFilter.of(names.stream().map(SchemaInspector::globLiteral).toList());
    }

    private static String globLiteral(String name) {
        return name.replaceAll("([*?\\[\\]{}!,])", "[$1]");
    }

    public static List<Difference> diff(SchemaModel expected, SchemaModel actual) {
        return SchemaDiff.compare(expected, actual);
    }

    public static SchemaModel modelOf(ExpectedSchema expected) {
        return Optional.ofNullable(expected.snapshot()).map(Snapshot::schema).orElse(SchemaModel.empty());
    }
}
