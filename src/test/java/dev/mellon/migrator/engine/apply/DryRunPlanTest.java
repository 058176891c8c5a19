package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.diff.Hazard;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dry run returns the exact plan: transactions, statements, hazards, and the sizes of the tables they touch. */
class DryRunPlanTest {

    @TempDir
    Path dir;

    @Test
    void theDryRunPlanShowsTransactionsHazardsAndTableSizesAndTouchesNothing() throws Exception {
        try (TestDatabase database = TestDatabase.create("mellon_plan")) {
            TestDatabase.Database db = database.database();
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)");
                st.execute("INSERT INTO orders SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g");
                st.execute("ANALYZE orders");
            }
            Path folder = new FolderBuilder(dir)
                    .migration("add", "ALTER TABLE orders ADD COLUMN status text NOT NULL;",
                            "CREATE TABLE audit (id int);")
                    .migration("index", "CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);")
                    .migration("drop", "ALTER TABLE \"orders\" DROP COLUMN \"note\";")
                    .migration("fk", "ALTER TABLE audit ADD CONSTRAINT audit_fk FOREIGN KEY (id) REFERENCES orders (id) NOT VALID;")
                    .write();
            Migrator migrator = MigratorTest.migrator(db, folder, TrackingTable.defaults());
            List<String> before;
            try (Connection c = db.connect()) {
                before = Catalog.state(c);
            }
            ApplyResult result = migrator.apply(ApplyOptions.defaults().asDryRun(), RunContext.of("test"));
            List<PlanGroup> plan = result.plan();
            assertEquals(List.of("own", "no-transaction", "batch"), plan.stream().map(PlanGroup::transaction).toList());
            assertEquals(List.of("0002_drop", "0003_fk"), plan.get(2).migrations().stream().map(PlanGroup.Planned::tag).toList());

            PlanGroup.PlannedStatement addColumn = plan.get(0).migrations().get(0).statements().get(0);
            assertEquals(1, addColumn.index());
            assertTrue(codes(addColumn).contains(Hazard.Code.MAY_FAIL_ON_EXISTING_ROWS), addColumn.hazards().toString());
            assertTrue(codes(addColumn).contains(Hazard.Code.ACCESS_EXCLUSIVE_LOCK), addColumn.hazards().toString());
            assertEquals(1, addColumn.tables().size());
            assertEquals("orders", addColumn.tables().get(0).table());
            assertTrue(addColumn.tables().get(0).estimatedRows() >= 19_000, addColumn.tables().toString());
            assertTrue(addColumn.tables().get(0).totalBytes() > 1_000_000, addColumn.tables().toString());
            PlanGroup.PlannedStatement createTable = plan.get(0).migrations().get(0).statements().get(1);
            assertTrue(createTable.tables().isEmpty(), "a table the plan creates has no size yet");

            assertTrue(codes(plan.get(1).migrations().get(0).statements().get(0)).contains(Hazard.Code.NOT_TRANSACTIONAL));
            PlanGroup.PlannedStatement drop = plan.get(2).migrations().get(0).statements().get(0);
            assertTrue(codes(drop).contains(Hazard.Code.DELETES_DATA), drop.hazards().toString());
            assertEquals("\"orders\"", drop.tables().get(0).table());
            PlanGroup.PlannedStatement fk = plan.get(2).migrations().get(1).statements().get(0);
            assertTrue(!codes(fk).contains(Hazard.Code.MAY_FAIL_ON_EXISTING_ROWS) && !codes(fk).contains(Hazard.Code.ACCESS_EXCLUSIVE_LOCK),
                    "NOT VALID defers the check and takes a lighter lock: " + fk.hazards());
            assertEquals(List.of("orders"), fk.tables().stream().map(PlanGroup.TableSize::table).toList());

            try (Connection c = db.connect()) {
                assertEquals(before, Catalog.state(c), "a dry run touches nothing");
            }
            assertNull(migrator.apply(ApplyOptions.defaults().withTarget("0000_add").asDryRun(), RunContext.of("t"))
                    .plan().get(0).migrations().get(0).resumeFrom());
        }
    }

    private static List<Hazard.Code> codes(PlanGroup.PlannedStatement statement) {
        return statement.hazards().stream().map(Hazard::code).toList();
    }
}
