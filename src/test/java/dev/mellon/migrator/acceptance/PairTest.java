package dev.mellon.migrator.acceptance;

import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaPlan;
import dev.mellon.migrator.engine.schema.SchemaSource;
import dev.mellon.migrator.schema.SchemaModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.SQLException;
import java.util.List;

/**
 * The two real databases of a test class and the one question each test asks: the plan from A (as PostgreSQL reads
 * it) to B. Both sides are introspected, so the comparison is exact and needs no shadow database.
 */
abstract class PairTest {

    static SchemaPair pair;
    private static final SchemaComparer COMPARER = new SchemaComparer(null);

    @BeforeAll
    static void databases() throws SQLException {
        pair = new SchemaPair();
    }

    @AfterAll
    static void drop() throws SQLException {
        pair.close();
    }

    /** The plan that turns database A, as it is now, into {@code b}. */
    static SchemaPlan planAtoB(SchemaModel b, SchemaComparer.Style style) throws SQLException {
        return COMPARER.plan(SchemaSource.postgres("a", SchemaPair.introspect(pair.a())), SchemaSource.postgres("b", b), List.of(), style);
    }
}
