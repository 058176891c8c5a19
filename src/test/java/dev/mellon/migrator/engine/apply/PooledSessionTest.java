package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.lock.ConnectionSource;
import dev.mellon.migrator.engine.lock.PooledSessionException;
import dev.mellon.migrator.engine.lock.PostgresSessions;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An apply session behind a transaction pooler: each statement may reach another backend. Emulated with two real
 * sessions that statements alternate between, as PgBouncer in transaction mode hands them out.
 */
class PooledSessionTest {

    @TempDir
    Path dir;

    @Test
    void anApplySessionWhoseStatementsReachDifferentBackendsIsRefusedBeforeAnythingIsTouched() throws Exception {
        Path folder = new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").write();
        try (TestDatabase database = TestDatabase.create("mellon_pooled")) {
            TestDatabase.Database db = database.database();
            PGSimpleDataSource pool = new PGSimpleDataSource();
            pool.setUrl(db.jdbcUrl());
            pool.setUser(db.user());
            pool.setPassword(db.password());
            ConnectionSource direct = PostgresSessions.simpleProtocol(db.jdbcUrl(), db.user(), db.password());
            ConnectionSource pooler = () -> alternating(direct.open(), direct.open());
            Migrator migrator = new Migrator(folder, new FolderReader(), pool, pooler, TrackingTable.defaults());
            assertThrows(PooledSessionException.class, () -> migrator.apply(ApplyOptions.defaults(), RunContext.of("test")));
            try (Connection c = db.connect()) {
                assertFalse(Catalog.exists(c, "drizzle.__drizzle_migrations"), "nothing may be touched");
                assertFalse(Catalog.exists(c, "public.one"));
            }
            assertEquals(1, new Migrator(folder, new FolderReader(), pool, direct, TrackingTable.defaults())
                    .apply(ApplyOptions.defaults(), RunContext.of("test")).applied().size());
        }
    }

    /** A connection whose statements go to {@code a} and {@code b} in turn. */
    private static Connection alternating(Connection a, Connection b) {
        AtomicInteger turn = new AtomicInteger();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    try {
                        if (method.getName().equals("close")) {
                            b.close();
                            return method.invoke(a, args);
                        }
                        if (method.getName().equals("createStatement") || method.getName().equals("prepareStatement")) {
                            return method.invoke(turn.getAndIncrement() % 2 == 0 ? a : b, args);
                        }
                        return method.invoke(a, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
