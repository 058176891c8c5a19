package dev.mellon.migrator.studio;

import dev.mellon.migrator.web.InvalidRequestException;
import dev.mellon.migrator.studio.StudioCatalog.ColumnInfo;
import dev.mellon.migrator.studio.StudioCatalog.TableInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The row query builder alone: what reaches the SQL text, and what only ever reaches a parameter. */
class StudioRowQueryTest {

    private static final TableInfo TABLE = new TableInfo("app", "we\"ird", "table", 10L, 0, "0 bytes",
            List.of(column("id", 1, "integer", true), column("na\"me", 2, "text", false), column("a:b", 3, "integer", false)),
            List.of("id"), List.of(), List.of(), List.of());

    private static ColumnInfo column(String name, int position, String type, boolean pk) {
        return new ColumnInfo(name, position, type, type, "N", pk, null, pk, null, null);
    }

    @Test
    void identifiersAreQuotedCatalogNamesAndValuesAreParameters() {
        String evil = "x'); DROP TABLE t; --";
        RowQuery.Plan plan = RowQuery.plan(TABLE, new RowQuery.Request("10", "na\"me", "desc",
                List.of("eq:na\"me:" + evil, "contains:na\"me:50%_off", "gte:a:b:3", "isnull:a:b"), null, null));
        assertFalse(plan.sql().contains(evil), plan.sql());
        assertFalse(plan.sql().contains("50%"), plan.sql());
        assertTrue(plan.sql().contains("FROM \"app\".\"we\"\"ird\" AS r"), plan.sql());
        assertTrue(plan.sql().contains("r.\"na\"\"me\" = ?::text"), plan.sql());
        assertTrue(plan.sql().contains("r.\"a:b\" >= ?::integer"), plan.sql());
        assertTrue(plan.sql().contains("r.\"a:b\" IS NULL"), plan.sql());
        assertTrue(plan.sql().contains("ORDER BY r.\"na\"\"me\" DESC NULLS LAST, r.\"id\" DESC"), plan.sql());
        assertTrue(plan.sql().endsWith("LIMIT 11"), plan.sql());
        assertEquals(List.of(evil, "%50\\%\\_off%", "3"), plan.params().stream().map(RowQuery.Param::value).toList());
    }

    @Test
    void aCursorRoundTripsAndBindsItsValues() {
        String cursor = new RowQuery.Cursor(true, null, false, List.of("41"), 0).encode();
        RowQuery.Plan plan = RowQuery.plan(TABLE, new RowQuery.Request(null, null, null, null, cursor, null));
        assertTrue(plan.sql().contains("(r.\"id\") > (?::integer)"), plan.sql());
        assertEquals("41", plan.params().get(0).value());
        assertEquals("cursor", plan.params().get(0).field());
    }

    @Test
    void refusesWhatTheCatalogDoesNotName() {
        assertEquals("sort", assertThrows(InvalidRequestException.class, () -> RowQuery.plan(TABLE,
                new RowQuery.Request(null, "id; drop", null, null, null, null))).field());
        assertEquals("filter", assertThrows(InvalidRequestException.class, () -> RowQuery.plan(TABLE,
                new RowQuery.Request(null, null, null, List.of("eq:nope:1"), null, null))).field());
        assertEquals("limit", assertThrows(InvalidRequestException.class, () -> RowQuery.plan(TABLE,
                new RowQuery.Request("501", null, null, null, null, null))).field());
        assertEquals("cursor", assertThrows(InvalidRequestException.class, () -> RowQuery.plan(TABLE,
                new RowQuery.Request(null, null, null, null, "%%%", null))).field());
    }
}
