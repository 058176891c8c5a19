package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.schema.SchemaInspector;
import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.introspect.Introspection;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Drift against a history written by the real drizzle-kit 0.31.11 ({@code src/test/resources/folders/features}:
 * enums in two schemas, serial and identity keys, numeric, jsonb and array defaults, an expression unique index, a
 * partial descending index, a check, a composite key, a NULLS NOT DISTINCT unique, a cascading foreign key).
 */
class SchemaDriftTest {

    static final Path FEATURES = Path.of("src/test/resources/folders/features");

    static SchemaInspector inspector(TestDatabase.Database db, Path folder) {
        PGSimpleDataSource pool = new PGSimpleDataSource();
        pool.setUrl(db.jdbcUrl());
        pool.setUser(db.user());
        pool.setPassword(db.password());
        return new SchemaInspector(folder, new FolderReader(), pool, TrackingTable.defaults());
    }

    /** Applies the folder, runs {@code drift} (if any), and returns the differences from the last snapshot. */
    static List<Difference> driftAfter(String drift) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestDatabase.serverMajor() >= 15,
                "the features history (drizzle-kit's output) uses UNIQUE NULLS NOT DISTINCT, new in PostgreSQL 15");
        try (TestDatabase database = TestDatabase.create("mellon_drift")) {
            TestDatabase.Database db = database.database();
            MigratorTest.migrator(db, FEATURES, TrackingTable.defaults()).apply(ApplyOptions.defaults(), RunContext.of("test"));
            if (drift != null) {
                try (Connection c = db.connect(); Statement st = c.createStatement()) {
                    st.execute(drift);
                }
            }
            SchemaInspector inspector = inspector(db, FEATURES);
            SchemaModel expected = SchemaInspector.modelOf(inspector.expected(new FolderReader().read(FEATURES), null));
            Introspection actual = inspector.introspect(SchemaInspector.schemasOf(expected), NameFilter.all());
            return SchemaInspector.diff(expected, actual.schema());
        }
    }

    @Test
    void freshlyAppliedHistoryIsInSync() throws Exception {
        // No phantom changes: expression defaults, NULLS NOT DISTINCT, array and jsonb defaults, DESC NULLS LAST.
        assertEquals(List.of(), driftAfter(null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "add a column        | ALTER TABLE users ADD COLUMN nickname text                              | column     | unexpected | public.users.nickname                       |",
            "drop an index       | DROP INDEX posts_author_idx                                             | index      | missing    | public.posts.posts_author_idx               |",
            "change a default    | ALTER TABLE users ALTER COLUMN active SET DEFAULT false                 | column     | changed    | public.users.active                         | default",
            "change a type       | ALTER TABLE posts ALTER COLUMN title TYPE text                          | column     | changed    | public.posts.title                          | type",
            "drop a NOT NULL     | ALTER TABLE users ALTER COLUMN name DROP NOT NULL                       | column     | changed    | public.users.name                           | notNull",
            "add a check         | ALTER TABLE posts ADD CONSTRAINT title_len CHECK (length(title) > 0)    | check      | unexpected | public.posts.title_len                      |",
            "drop a foreign key  | ALTER TABLE posts DROP CONSTRAINT posts_author_id_users_id_fk           | foreignKey | missing    | public.posts.posts_author_id_users_id_fk    |",
            "add an enum value   | ALTER TYPE role ADD VALUE 'guest'                                       | enum       | changed    | public.role                                 | values",
            "add a table         | CREATE TABLE audit (id int)                                             | table      | unexpected | public.audit                                |",
            "change an index     | DROP INDEX users_active_created_idx; CREATE INDEX users_active_created_idx ON users (created_at) WHERE active = true | index | changed | public.users.users_active_created_idx | columns",
            "make a unique NULLS DISTINCT | ALTER TABLE posts DROP CONSTRAINT posts_slug_unique; ALTER TABLE posts ADD CONSTRAINT posts_slug_unique UNIQUE (slug) | unique | changed | public.posts.posts_slug_unique | nullsNotDistinct",
            "drop a composite key | ALTER TABLE app.items DROP CONSTRAINT items_tenant_sku_pk              | primaryKey | missing    | app.items.items_tenant_sku_pk               |"})
    void handMadeDriftIsReportedOnceAndNothingElse(String what, String drift, String kind, String change, String name,
                                                   String attribute) throws Exception {
        List<Difference> differences = driftAfter(drift);
        assertEquals(1, differences.size(), differences.toString());
        Difference d = differences.get(0);
        assertEquals(List.of(kind, change, name, attribute == null ? "-" : attribute),
                List.of(d.objectKind(), d.change(), d.name(), d.attribute() == null ? "-" : d.attribute()));
    }
}
