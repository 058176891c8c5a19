package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** An engine test with a fresh database of its own per test, a folder directory, and the default tracking table. */
abstract class EngineDatabaseTest {

    static final RunContext TEST = RunContext.of("test");

    @TempDir
    Path dir;

    TestDatabase database;
    TestDatabase.Database db;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create("mellon_engine");
        db = database.database();
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    /** An unpooled data source on the test database, standing in for the service's read pool. */
    PGSimpleDataSource pool() {
        PGSimpleDataSource pool = new PGSimpleDataSource();
        pool.setUrl(db.jdbcUrl());
        pool.setUser(db.user());
        pool.setPassword(db.password());
        return pool;
    }

    Migrator migrator(Path folder) {
        return MigratorTest.migrator(db, folder, TrackingTable.defaults());
    }

    /** Runs statements in autocommit on a session of its own. */
    void sql(String... statements) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
