package dev.mellon.migrator.acceptance;

import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.diff.Hazard;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaPlan;
import dev.mellon.migrator.schema.SchemaModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero-downtime plans ({@code "online": true}) against a real database holding rows: the statements take the weak
 * locks the seed's checklist asks for, they run (concurrent builds outside a transaction), and the result is B.
 */
class OnlinePlanTest extends PairTest {


    static Stream<Arguments> cases() {
        String bp = MigrationWriter.BREAKPOINT;
        return Stream.of(
                Arguments.of("index built concurrently", "CREATE TABLE t (id int, n int)",
                        "CREATE TABLE t (id int, n int); CREATE INDEX t_n_idx ON t (n)",
                        "CREATE INDEX CONCURRENTLY \"t_n_idx\" ON \"t\" USING btree (\"n\");"),
                Arguments.of("foreign key validated apart", "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (id int, p int)",
                        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (id int, p int CONSTRAINT t_p_fk REFERENCES p (id))",
                        "ALTER TABLE \"t\" ADD CONSTRAINT \"t_p_fk\" FOREIGN KEY (\"p\") REFERENCES \"public\".\"p\"(\"id\") ON DELETE no action"
                                + " ON UPDATE no action NOT VALID;" + bp + "ALTER TABLE \"t\" VALIDATE CONSTRAINT \"t_p_fk\";"),
                Arguments.of("check validated apart", "CREATE TABLE t (id int, n int)",
                        "CREATE TABLE t (id int, n int CONSTRAINT t_n_chk CHECK (n >= 0))",
                        "ALTER TABLE \"t\" ADD CONSTRAINT \"t_n_chk\" CHECK (n >= 0) NOT VALID;" + bp
                                + "ALTER TABLE \"t\" VALIDATE CONSTRAINT \"t_n_chk\";"),
                Arguments.of("set not null through a validated check", "CREATE TABLE t (id int, n int)",
                        "CREATE TABLE t (id int, n int NOT NULL)",
                        "ALTER TABLE \"t\" ADD CONSTRAINT \"t_n_not_null\" CHECK (\"n\" IS NOT NULL) NOT VALID;" + bp
                                + "ALTER TABLE \"t\" VALIDATE CONSTRAINT \"t_n_not_null\";" + bp
                                + "ALTER TABLE \"t\" ALTER COLUMN \"n\" SET NOT NULL;" + bp
                                + "ALTER TABLE \"t\" DROP CONSTRAINT \"t_n_not_null\";"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onlineStepsRunOnATableWithRows(String what, String oldDdl, String newDdl, String expected) throws SQLException {
        pair.reset();
        SchemaPair.run(pair.a(), oldDdl);
        SchemaPair.run(pair.a(), what.startsWith("foreign") ? "INSERT INTO p VALUES (1); INSERT INTO t VALUES (1, 1)"
                : "INSERT INTO t VALUES (1, 1), (2, 2)");
        SchemaPair.run(pair.b(), newDdl);
        SchemaModel b = SchemaPair.introspect(pair.b());
        SchemaPlan plan = planAtoB(b, SchemaComparer.Style.ONLINE);
        assertEquals(expected, MigrationWriter.join(plan.statements()));
        assertFalse(plan.hazards().stream().anyMatch(h -> h.code() == Hazard.Code.ACCESS_EXCLUSIVE_LOCK
                || h.code() == Hazard.Code.BLOCKS_WRITES_WHILE_INDEXING), plan.hazards().toString());
        for (String statement : plan.sql()) {
            SchemaPair.run(pair.a(), statement); // autocommit: a concurrent build runs outside a transaction
        }
        assertTrue(planAtoB(b, SchemaComparer.Style.ONLINE).isEmpty());
    }

    @org.junit.jupiter.api.Test
    void newNotNullColumnWithoutDefaultGetsABackfillStep() throws SQLException {
        pair.reset();
        SchemaPair.run(pair.a(), "CREATE TABLE t (id int); INSERT INTO t VALUES (1)");
        SchemaPair.run(pair.b(), "CREATE TABLE t (id int, code text NOT NULL)");
        SchemaModel b = SchemaPair.introspect(pair.b());
        SchemaPlan plan = planAtoB(b, SchemaComparer.Style.ONLINE);
        List<String> sql = plan.sql();
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"code\" text;", sql.get(0));
        assertTrue(sql.get(1).startsWith("-- Backfill \"code\""), sql.get(1));
        SchemaPair.run(pair.a(), sql.get(0));
        SchemaPair.run(pair.a(), sql.get(1));
        SchemaPair.run(pair.a(), "UPDATE t SET code = 'x'"); // what the developer writes in place of the comment
        for (String statement : sql.subList(2, sql.size())) {
            SchemaPair.run(pair.a(), statement);
        }
        assertTrue(planAtoB(b, SchemaComparer.Style.ONLINE).isEmpty());
    }
}
