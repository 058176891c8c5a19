package dev.mellon.migrator.web;

import dev.mellon.migrator.web.security.Disclosure;
import dev.mellon.migrator.engine.core.DatabaseUnavailableException;
import dev.mellon.migrator.engine.lock.LockNotAcquiredException;
import dev.mellon.migrator.engine.lock.LockSession;
import dev.mellon.migrator.engine.lock.LockStatus;
import dev.mellon.migrator.engine.apply.MigrationFailedException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What problem documents show to admins and withhold from everyone else. */
class DisclosureTest {

    private static final String ROW_VALUES = "Key (email)=(alice@example.com) already exists.";
    private static final String DRIVER_MESSAGE = "Connection to db.internal:5432 refused for user \"deploy_admin\"";
    private static final String HOLDER_QUERY = "ALTER ROLE app PASSWORD 'not-for-viewers'";

    private static ProblemMappers mappers(boolean admin) {
        ProblemMappers mappers = new ProblemMappers();
        mappers.disclosure = new Disclosure(null, null) {
            @Override
            public boolean internalsVisible() {
                return admin;
            }
        };
        return mappers;
    }

    private static MigrationFailedException duplicateKey() {
        return new MigrationFailedException("0003_users", 2, "INSERT INTO users …", "23505",
                "duplicate key value violates unique constraint \"users_email_unique\"", null, ROW_VALUES, null,
                List.of("0002_x"), List.of("0003_users"), List.of(), null);
    }

    @Test
    void rowValuesInAServerDetailAreForAdminsOnly() {
        Problem hidden = (Problem) mappers(false).failed(duplicateKey()).getEntity();
        assertFalse(hidden.extensions().containsKey("serverDetail"));
        assertEquals(List.of("serverDetail"), hidden.extensions().get("withheld"));
        assertNotNull(hidden.extensions().get("errorId"), "the log entry can be found from the answer");
        assertEquals("23505", hidden.extensions().get("sqlState"), "what went wrong is still said");
        Problem shown = (Problem) mappers(true).failed(duplicateKey()).getEntity();
        assertEquals(ROW_VALUES, shown.extensions().get("serverDetail"));
    }

    @Test
    void driverMessagesNamingHostsAndUsersAreForAdminsOnly() {
        DatabaseUnavailableException down = new DatabaseUnavailableException(DRIVER_MESSAGE, "08001", null);
        Response hidden = mappers(false).unavailable(down);
        assertFalse(((Problem) hidden.getEntity()).detail.contains("db.internal"));
        assertFalse(((Problem) hidden.getEntity()).detail.contains("deploy_admin"));
        assertEquals("5", hidden.getHeaderString("Retry-After"));
        assertTrue(((Problem) mappers(true).unavailable(down).getEntity()).detail.contains("db.internal"));
    }

    @Test
    void whereTheFolderLivesIsForAdminsOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path missing = dir.resolve("no-such-folder");
        dev.mellon.migrator.folder.FolderException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.mellon.migrator.folder.FolderException.class, () -> new dev.mellon.migrator.folder.FolderReader().read(missing));
        String absolute = missing.toAbsolutePath().normalize().toString();
        assertFalse(e.getMessage().contains(absolute), "the message names no server path: " + e.getMessage());
        Problem hidden = (Problem) mappers(false).folder(e).getEntity();
        assertFalse(hidden.detail.contains(absolute));
        assertFalse(hidden.extensions().containsKey("folderPath"));
        assertEquals(List.of("folderPath"), hidden.extensions().get("withheld"));
        Problem shown = (Problem) mappers(true).folder(e).getEntity();
        assertEquals(absolute, shown.extensions().get("folderPath"));
    }

    @Test
    void theLockHoldersQueryIsForAdminsOnly() {
        LockSession holder = new LockSession(42, "psql", "10.0.0.7", "app", OffsetDateTime.now(), OffsetDateTime.now(),
                "active", HOLDER_QUERY);
        LockNotAcquiredException timeout = new LockNotAcquiredException(5000,
                new LockStatus("\"drizzle\".\"__drizzle_migrations\"", 1, 2, holder, List.of(holder)));
        LockStatus hidden = (LockStatus) ((Problem) mappers(false).lock(timeout).getEntity()).extensions().get("lock");
        assertEquals(42, hidden.holder().pid(), "who holds the lock is still said");
        assertEquals(null, hidden.holder().query());
        assertEquals(null, hidden.waiters().get(0).query());
        LockStatus shown = (LockStatus) ((Problem) mappers(true).lock(timeout).getEntity()).extensions().get("lock");
        assertEquals(HOLDER_QUERY, shown.holder().query());
    }
}
