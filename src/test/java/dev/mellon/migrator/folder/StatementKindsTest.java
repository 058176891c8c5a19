package dev.mellon.migrator.folder;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatementKindsTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE INDEX CONCURRENTLY i ON t (a)",
            "create unique index concurrently if not exists \"i\" on \"s\".\"t\" using btree (a)",
            "-- a comment\n/* another */ CREATE INDEX\n  CONCURRENTLY i ON t (a)",
            "DROP INDEX CONCURRENTLY IF EXISTS i",
            "REINDEX INDEX CONCURRENTLY i",
            "REINDEX (VERBOSE) TABLE CONCURRENTLY t",
            "VACUUM (ANALYZE) t",
            "CREATE DATABASE x",
            "ALTER SYSTEM SET work_mem = '64MB'",
            "ALTER TABLE p DETACH PARTITION c CONCURRENTLY"})
    void statementsPostgresRefusesInATransactionBlock(String statement) {
        assertTrue(StatementKinds.refusedInTransaction(statement), statement);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE INDEX i ON t (a)",
            "SELECT 'CREATE INDEX CONCURRENTLY i ON t (a)'",
            "DO $$ BEGIN EXECUTE 'VACUUM'; END $$",
            "-- CREATE INDEX CONCURRENTLY i ON t (a)\nCREATE INDEX i ON t (a)",
            "CREATE TABLE concurrently (a int)",
            "ALTER TABLE p DETACH PARTITION c",
            "ANALYZE t"})
    void statementsThatRunInATransaction(String statement) {
        assertFalse(StatementKinds.refusedInTransaction(statement), statement);
    }

    @Test
    void enumValuesAddedAndUsed() {
        assertEquals(Optional.of("it's"), StatementKinds.addedEnumValue("ALTER TYPE \"public\".\"mood\" ADD VALUE IF NOT EXISTS 'it''s' BEFORE 'sad'"));
        assertEquals(Optional.empty(), StatementKinds.addedEnumValue("ALTER TYPE mood RENAME VALUE 'a' TO 'b'"));
        assertTrue(StatementKinds.mentionsLiteral("INSERT INTO p VALUES ('it''s')", "it's"));
        assertFalse(StatementKinds.mentionsLiteral("INSERT INTO p VALUES ('its')", "it's"));
    }

    @Test
    void concurrentIndexNameAndTable() {
        assertEquals(Optional.of(new StatementKinds.ConcurrentIndex("Users_Idx", "\"public\".\"users\"")),
                StatementKinds.concurrentIndex("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Users_Idx\" ON \"public\".\"users\" (a)"));
        assertEquals(Optional.of(new StatementKinds.ConcurrentIndex("i", "t")),
                StatementKinds.concurrentIndex("create index concurrently I on t (a)"));
    }

    @Test
    void topLevelStatementsSplitChunksAtSemicolonsOutsideQuotes() {
        assertEquals(List.of("CREATE INDEX CONCURRENTLY a ON t (x)", "SELECT ';'", "DO $$ BEGIN PERFORM 1; END $$"),
                StatementKinds.topLevelStatements(List.of("CREATE INDEX CONCURRENTLY a ON t (x);\nSELECT ';';",
                        "DO $$ BEGIN PERFORM 1; END $$;")));
    }
}
