package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.testing.Catalog;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Work that ends early, whatever the exception, leaves nothing behind: switching autocommit back on would otherwise
 * commit its first half (the driver commits an open transaction then).
 */
class TransactionsTest extends EngineDatabaseTest {

    @Test
    void anyExceptionRollsBackBeforeAutocommitReturns() throws Exception {
        sql("CREATE TABLE t (a int)");
        try (Connection session = db.connect()) {
            session.setAutoCommit(true);
            assertThrows(IllegalStateException.class, () -> Transactions.inOne(session, () -> {
                try (Statement st = session.createStatement()) {
                    st.execute("INSERT INTO t VALUES (1)");
                }
                throw new IllegalStateException("a bug half-way");
            }));
            assertTrue(session.getAutoCommit());
            assertThrows(java.sql.SQLException.class, () -> Transactions.inOne(session, () -> {
                try (Statement st = session.createStatement()) {
                    st.execute("INSERT INTO t VALUES (2)");
                    st.execute("INSERT INTO t VALUES ('not a number')");
                }
                return null;
            }));
            assertEquals(1, Transactions.inOne(session, () -> {
                try (Statement st = session.createStatement()) {
                    st.execute("INSERT INTO t VALUES (3)");
                }
                return 1;
            }));
        }
        try (Connection c = db.connect()) {
            assertEquals(java.util.List.of("3"), Catalog.strings(c, "select a::text from t"));
        }
    }
}
