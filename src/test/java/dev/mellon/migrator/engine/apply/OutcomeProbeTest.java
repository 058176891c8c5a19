package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.history.TrackingRow;
import dev.mellon.migrator.folder.Migration;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the outcome of a lost transaction from tracking rows, and telling a lost connection from a refusal. */
class OutcomeProbeTest {

    private static Migration migration(int idx, String name, long when, String hash, String... statements) {
        return new Migration(idx, String.format("%04d_%s", idx, name), when, true, hash, List.of(statements), null);
    }

    private static Migration ownTransaction(int idx, String name, long when, String hash) {
        return new Migration(idx, String.format("%04d_%s", idx, name), when, true, hash,
                List.of("BEGIN;", "CREATE TABLE own (id int);", "COMMIT;"), "BEGIN;");
    }

    private final Migration one = migration(0, "one", 1000, "h1", "CREATE TABLE one (id int);");
    private final Migration two = migration(1, "two", 2000, "h2", "CREATE TABLE two (id int);");

    @Test
    void aRowWithTheSameWhenAndHashMeansCommittedAndNoRowMeansRolledBack() {
        List<TrackingRow> rows = List.of(new TrackingRow(1, "h1", 1000L));
        InterruptedOutcome outcome = OutcomeProbe.classify(rows, List.of(one, two));
        assertTrue(outcome.observed());
        assertEquals(List.of("0000_one"), outcome.committed());
        assertEquals(List.of("0001_two"), outcome.rolledBack());
        assertEquals(List.of(), outcome.unknown());
    }

    @Test
    void aRowOfAnotherFileVersionDoesNotCount() {
        List<TrackingRow> rows = List.of(new TrackingRow(1, "other", 1000L), new TrackingRow(2, "h2", null));
        InterruptedOutcome outcome = OutcomeProbe.classify(rows, List.of(one, two));
        assertEquals(List.of(), outcome.committed());
        assertEquals(List.of("0000_one", "0001_two"), outcome.rolledBack());
    }

    @Test
    void aFileWithItsOwnTransactionAndNoRowIsUnknown() {
        Migration own = ownTransaction(2, "own", 3000, "h3");
        assertTrue(own.managesOwnTransaction());
        InterruptedOutcome outcome = OutcomeProbe.classify(List.of(), List.of(own));
        assertEquals(List.of(), outcome.rolledBack());
        assertEquals(List.of("0002_own"), outcome.unknown());
    }

    @Test
    void connectionClassesAndSocketFailuresAreLossesRefusalsAreNot() {
        assertTrue(ConnectionLoss.is(new SQLException("An I/O error occurred", "08006", new IOException("reset"))));
        assertTrue(ConnectionLoss.is(new SQLException("This connection has been closed.", "08003")));
        assertTrue(ConnectionLoss.is(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(ConnectionLoss.is(new SQLException("read timed out", null, new SocketTimeoutException())));
        assertFalse(ConnectionLoss.is(new SQLException("column \"id\" already exists", "42701")));
        assertFalse(ConnectionLoss.is(new SQLException("canceling statement due to statement timeout", "57014")));
    }
}
