package dev.mellon.migrator.folder;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SqlScannerTest {

    @Test
    void splitsTopLevelStatementsOnly() {
        String sql = """
                -- a comment; with a semicolon
                CREATE TABLE "a;b" (v text DEFAULT 'x;y');
                /* block; /* nested; */ still comment; */
                DO $$ BEGIN PERFORM 1; EXCEPTION WHEN others THEN null; END $$;
                CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
                SELECT E'it\\'s; fine';
                """;
        List<String> statements = SqlScanner.statements(sql);
        assertEquals(4, statements.size(), statements.toString());
        assertEquals("SELECT E'it\\'s; fine'", statements.get(3));
    }

    @Test
    void standardFunctionBodiesKeepTheirSemicolons() {
        String sql = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN a > 0 THEN 1 END; SELECT 2; END;"
                + " SELECT 3;";
        assertEquals(2, SqlScanner.statements(sql).size());
        assertNull(SqlScanner.firstTransactionControl(sql));
    }

    @Test
    void beginAndAtomicAreABodyOnlyWhereTheyFollowEachOtherInARoutine() {
        // A table named begin with a column named atomic must not swallow the statements after it.
        String escape = "CREATE TABLE begin(atomic int); COMMIT; CREATE ROLE r NOLOGIN";
        assertEquals(3, SqlScanner.statements(escape).size(), SqlScanner.statements(escape).toString());
        assertEquals("COMMIT", SqlScanner.firstTransactionControl(escape));
        assertEquals(3, SqlScanner.statements("CREATE TABLE t (\"begin\" int, atomic int); COMMIT; SELECT 1").size());
        assertEquals(2, SqlScanner.statements("CREATE VIEW v AS SELECT 1 AS begin, 2 AS atomic; COMMIT").size());
        assertEquals(2, SqlScanner.statements("SELECT begin atomic FROM t; COMMIT").size());
        // Comments between the two words are white space to PostgreSQL.
        assertEquals(2, SqlScanner.statements(
                "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN /* x */ ATOMIC SELECT 1; SELECT 2; END; SELECT 3").size());
    }

    @Test
    void spansPointAtTheStatementsInTheText() {
        String sql = "  CREATE TABLE a (id int);\n-- c\nCREATE TABLE b (id int)";
        List<SqlScanner.Span> spans = SqlScanner.spans(sql);
        assertEquals(2, spans.size());
        assertEquals("CREATE TABLE a (id int)", spans.get(0).text(sql).strip());
        assertEquals(0, spans.get(0).start(), "a span keeps the white space before it, so positions inside it stay true");
        assertEquals("-- c\nCREATE TABLE b (id int)", spans.get(1).text(sql).strip());
    }

    @Test
    void findsTransactionControlOutsideBodiesAndComments() {
        assertEquals("BEGIN", SqlScanner.firstTransactionControl("BEGIN;\nUPDATE t SET a = 1;\nCOMMIT;"));
        assertEquals("COMMIT", SqlScanner.firstTransactionControl("COMMIT;\nCREATE INDEX CONCURRENTLY i ON t (a);"));
        assertEquals("START TRANSACTION", SqlScanner.firstTransactionControl("  start transaction; select 1;".toUpperCase()));
        assertNull(SqlScanner.firstTransactionControl("DO $$ BEGIN ALTER TABLE t ADD c int; END $$;"));
        assertNull(SqlScanner.firstTransactionControl("-- BEGIN;\n/* COMMIT; */ SELECT 'BEGIN;';"));
        assertNull(SqlScanner.firstTransactionControl("CREATE TABLE begin_log (id int);"));
    }

    @Test
    void leadingKeywordSkipsComments() {
        assertEquals("CREATE", SqlScanner.leadingKeyword("-- note\n/* x */  create index i on t (a)"));
        assertEquals("", SqlScanner.leadingKeyword("-- only a comment"));
    }

    @Test
    void dollarSignsThatAreNotQuotesAreIgnored() {
        List<String> statements = SqlScanner.statements("SELECT $1; SELECT a$b FROM t; SELECT 1");
        assertEquals(3, statements.size(), statements.toString());
    }
}
