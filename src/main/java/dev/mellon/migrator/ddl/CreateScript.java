package dev.mellon.migrator.ddl;

import dev.mellon.migrator.diff.Differ;
import dev.mellon.migrator.schema.SchemaModel;

import java.util.List;

/**
 * The CREATE script of a whole schema, as {@code drizzle-kit export} prints it: the migration from an empty schema.
 */
public final class CreateScript {

    private CreateScript() {
    }

    public static List<String> statements(SchemaModel model) {
        return MigrationWriter.drizzle().write(new Differ(Differ.Options.exact()).diff(SchemaModel.empty(), model).changes())
                .stream().map(Statement::sql).toList();
    }

    /** The statements joined as drizzle-kit joins a migration file's. */
    public static String script(SchemaModel model) {
        return String.join(MigrationWriter.BREAKPOINT, statements(model));
    }
}
