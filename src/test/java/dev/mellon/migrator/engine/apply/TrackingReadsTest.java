package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.ProgressStore;
import dev.mellon.migrator.engine.history.StatusReport;
import dev.mellon.migrator.engine.history.TrackingReads;
import dev.mellon.migrator.engine.history.TrackingStore;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read-only status is kept while PostgreSQL's snapshot stands still, and never past a commit. */
class TrackingReadsTest extends EngineDatabaseTest {

    private Migrator applied() {
        Path folder = new FolderBuilder(dir.resolve("drizzle"))
                .migration("users", "CREATE TABLE users (id int);")
                .migration("posts", "CREATE TABLE posts (id int);")
                .write();
        Migrator migrator = migrator(folder);
        migrator.apply(ApplyOptions.defaults(), TEST);
        return migrator;
    }

    @Test
    void aStatusWithNothingCommittedSinceIsTheSameReport() throws Exception {
        Migrator migrator = applied();
        // Files written within the folder cache's racy window are read again on every call (so the report is new
        // each time): age them, as any folder is aged a moment after it was written.
        try (var files = java.nio.file.Files.walk(dir.resolve("drizzle"))) {
            java.nio.file.attribute.FileTime past = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60));
            for (Path p : files.toList()) {
                java.nio.file.Files.setLastModifiedTime(p, past);
            }
        }
        // Other sessions of this server (other tests, autovacuum's analyze) may commit meanwhile; some pair of reads
        // with nothing in between must still come back as the very same report.
        boolean kept = false;
        for (int attempt = 0; attempt < 50 && !kept; attempt++) {
            StatusReport first = migrator.status();
            kept = first == migrator.status();
        }
        assertTrue(kept, "two reads with no commit between them should share one report");
    }

    @Test
    void aRowWrittenByAnotherSessionIsSeenByTheNextRead() throws Exception {
        Migrator migrator = applied();
        StatusReport before = migrator.status();
        assertEquals(2, before.inState(MigrationState.APPLIED).size());

        sql("DELETE FROM drizzle.__drizzle_migrations WHERE id = (SELECT max(id) FROM drizzle.__drizzle_migrations)");

        assertEquals(1, migrator.status().inState(MigrationState.APPLIED).size());
    }

    @Test
    void aCommitAnywhereOnTheServerMakesTheNextReadGoToTheTables() throws Exception {
        Migrator migrator = applied();
        StatusReport before = migrator.status();
        try (TestDatabase other = TestDatabase.create("mellon_other")) {
            try (var c = other.database().connect(); var st = c.createStatement()) {
                st.execute("CREATE TABLE t (id int)");
            }
        }
        StatusReport after = migrator.status();
        assertNotSame(before, after);
        assertEquals(before.migrations().size(), after.migrations().size());
    }

    @Test
    void rowsReadInsideAnOpenTransactionAreNeverKept() throws Exception {
        applied();
        TrackingTable table = TrackingTable.defaults();
        TrackingReads reads = new TrackingReads(new TrackingStore(table), new ProgressStore(table));
        try (java.sql.Connection inside = db.connect(); java.sql.Connection other = db.connect()) {
            inside.setAutoCommit(false);
            try (var st = inside.createStatement()) {
                st.execute("DELETE FROM drizzle.__drizzle_migrations");
            }
            assertEquals(0, reads.read(inside).rows().size(), "the transaction sees its own delete");
            // Its own transaction id is past the snapshot's xmax, so the other session's snapshot prints the same.
            assertEquals(2, reads.read(other).rows().size(), "the uncommitted delete was not kept for anyone");
            inside.rollback();
        }
    }

    @Test
    void anEditedFileChangesTheReportThoughTheTablesDidNot() throws Exception {
        Migrator migrator = applied();
        StatusReport before = migrator.status();
        java.nio.file.Files.writeString(dir.resolve("drizzle/0001_posts.sql"), "CREATE TABLE posts (id bigint);");

        StatusReport after = migrator.status();
        assertSame(MigrationState.CHANGED, after.migrations().get(1).state());
        assertSame(MigrationState.APPLIED, before.migrations().get(1).state());
    }
}
