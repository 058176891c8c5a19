package dev.mellon.migrator.studio;

import dev.mellon.migrator.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The studio's data endpoints: structure, paging, sorting, filters, bad input and injection attempts, roles. */
@QuarkusTest
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class StudioApiTest {

    @org.junit.jupiter.api.AfterAll
    void dropFixture() throws Exception {
        StudioFixture.drop(pool);
    }

    private static final String ROWS = "/studio/api/tables/{schema}/{table}/rows";
    private boolean created;

    @Inject
    AgroalDataSource pool;

    @BeforeAll
    static void authenticateAsAdmin() {
        TestTokens.defaultToAdmin();
    }

    @BeforeEach
    void fixture() throws Exception {
        if (!created) {
            StudioFixture.create(pool);
            created = true;
        }
    }

    private Response rows(String table, Map<String, ?> query) {
        return given().queryParams(query).when().get(ROWS, StudioFixture.SCHEMA, table);
    }

    @Test
    void thePagesCarryASecurityPolicyAndAreRevalidated() {
        given().redirects().follow(false).when().get("/studio").then().statusCode(301).header("Location", "/studio/");
        for (String file : List.of("/studio/", "/studio/js/app.js", "/studio/studio.css")) {
            Response page = given().when().get(file);
            page.then().statusCode(200)
                    .header("Content-Security-Policy", containsString("default-src 'self'"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("X-Frame-Options", "DENY")
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Cache-Control", "no-cache");
            String modified = page.header("Last-Modified");
            if (modified != null) {
                given().header("If-Modified-Since", modified).when().get(file).then().statusCode(304);
            }
        }
        assertTrue(!given().when().get("/studio/").asString().contains("<script>"), "no inline script for the policy to forbid");
    }

    @Test
    void listsTablesWithEstimatesAndKeys() {
        given().when().get("/studio/api/tables").then().statusCode(200)
                .body("find { it.schema == 'studio_test' && it.name == 'authors' }.hasPrimaryKey", equalTo(true))
                .body("find { it.schema == 'studio_test' && it.name == 'authors' }.estimatedRows", equalTo(120))
                .body("find { it.schema == 'studio_test' && it.name == 'nokey' }.hasPrimaryKey", equalTo(false))
                .body("find { it.schema == 'studio_test' && it.name == 'sneaky_view' }.kind", equalTo("view"));
    }

    @Test
    void describesColumnsKeysIndexesAndForeignKeysBothWays() {
        given().when().get("/studio/api/tables/studio_test/books").then().statusCode(200)
                .body("primaryKey", equalTo(List.of("id")))
                .body("columns.name", equalTo(List.of("id", "author_id", "title", "price")))
                .body("columns[3].type", equalTo("numeric(8,2)"))
                .body("columns[1].notNull", equalTo(true))
                .body("indexes[0].primary", equalTo(true))
                .body("foreignKeys[0].refSchema", equalTo("studio_test"))
                .body("foreignKeys[0].refTable", equalTo("authors"))
                .body("foreignKeys[0].columns", equalTo(List.of("author_id")));
        given().when().get("/studio/api/tables/studio_test/authors").then().statusCode(200)
                .body("referencedBy[0].table", equalTo("books"))
                .body("columns.find { it.name == 'id' }.defaultValue", containsString("nextval"));
    }

    @Test
    void pagesForwardByKeysetUntilTheEnd() {
        Response first = rows("authors", Map.of("limit", 50));
        first.then().statusCode(200).body("pagination", equalTo("keyset")).body("rows", hasSize(50))
                .body("rows[0][0].text", equalTo("1")).body("rows[49][0].text", equalTo("50"))
                .body("nextCursor", notNullValue());
        Response second = rows("authors", Map.of("limit", 50, "cursor", first.<String>path("nextCursor")));
        second.then().statusCode(200).body("rows[0][0].text", equalTo("51")).body("rows", hasSize(50));
        rows("authors", Map.of("limit", 50, "cursor", second.<String>path("nextCursor"))).then().statusCode(200)
                .body("rows", hasSize(20)).body("rows[0][0].text", equalTo("101")).body("nextCursor", nullValue());
    }

    @Test
    void sortsByAnyColumnAndKeysetPagesThroughNullsWithoutLosingRows() {
        rows("authors", Map.of("sort", "age", "dir", "desc", "limit", 3)).then().statusCode(200)
                .body("rows[0][3].text", equalTo("67")).body("sort", equalTo("age")).body("dir", equalTo("desc"));
        for (String dir : List.of("asc", "desc")) {
            Set<String> ids = new HashSet<>();
            List<String> emails = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Map<String, Object> query = new java.util.HashMap<>(Map.of("sort", "email", "dir", dir, "limit", 7));
                if (cursor != null) {
                    query.put("cursor", cursor);
                }
                Response page = rows("authors", query);
                page.then().statusCode(200);
                List<List<Map<String, Object>>> rows = page.path("rows");
                for (List<Map<String, Object>> row : rows) {
                    assertTrue(ids.add((String) row.get(0).get("text")), "row repeated: " + row.get(0));
                    emails.add(row.get(2) == null ? null : (String) row.get(2).get("text"));
                }
                cursor = page.path("nextCursor");
                pages++;
            } while (cursor != null && pages < 50);
            assertEquals(StudioFixture.AUTHORS, ids.size(), "every row once, sorted by a nullable column " + dir);
            assertEquals(null, emails.get(emails.size() - 1), "NULLs come last");
        }
    }

    @Test
    void filtersEqualsContainsNullAndRanges() {
        rows("authors", Map.of("filter", "eq:id:5")).then().statusCode(200).body("rows", hasSize(1))
                .body("rows[0][1].text", equalTo("author 5"));
        // % and _ are literal in contains, not wildcards.
        rows("authors", Map.of("filter", "contains:name:%_")).then().statusCode(200).body("rows", hasSize(1))
                .body("rows[0][1].text", equalTo("100%_sure"));
        rows("authors", Map.of("filter", "contains:email:A11@")).then().statusCode(200).body("rows", hasSize(1));
        rows("authors", Map.of("filter", "isnull:email", "limit", 500)).then().statusCode(200).body("rows", hasSize(12));
        rows("authors", Map.of("filter", "notnull:email", "limit", 500)).then().statusCode(200).body("rows", hasSize(108));
        given().queryParam("filter", "gte:age:60", "lt:age:62").queryParam("limit", 500).when()
                .get(ROWS, "studio_test", "authors").then().statusCode(200).body("rows", hasSize(4));
        rows("authors", Map.of("filter", "gt:age:66", "limit", 500)).then().statusCode(200).body("rows", hasSize(2));
        rows("authors", Map.of("filter", "lte:born:1970-01-03")).then().statusCode(200).body("rows", hasSize(2));
        // A column whose name contains the separator.
        rows("nokey", Map.of("filter", "eq:x:y:3")).then().statusCode(200).body("rows", hasSize(1))
                .body("rows[0][0].text", equalTo("row 3"));
    }

    @Test
    void pagesByOffsetWithoutAPrimaryKey() {
        Response first = rows("nokey", Map.of("limit", 10, "sort", "x:y"));
        first.then().statusCode(200).body("pagination", equalTo("offset")).body("rows", hasSize(10));
        rows("nokey", Map.of("limit", 10, "sort", "x:y", "cursor", first.<String>path("nextCursor"))).then().statusCode(200)
                .body("rows[0][1].text", equalTo("11"));
    }

    @Test
    void rendersLongTextTruncatedAndByteaAsHex() {
        rows("authors", Map.of("filter", "eq:id:1")).then().statusCode(200)
                .body("rows[0][5].truncated", equalTo(true)).body("rows[0][5].text.length()", equalTo(200))
                .body("rows[0][7].bytes", equalTo(100)).body("rows[0][7].hex", equalTo("ab".repeat(32)))
                .body("rows[0][7].truncated", equalTo(true)).body("rows[0][6].text", equalTo("{\"n\": 1}"));
        rows("authors", Map.of("filter", "eq:id:1", "textLimit", 1000)).then().statusCode(200)
                .body("rows[0][5].truncated", equalTo(false)).body("rows[0][5].text.length()", equalTo(500));
        rows("authors", Map.of("filter", "eq:avatar:\\x0102")).then().statusCode(200).body("rows", hasSize(1))
                .body("rows[0][7].hex", equalTo("0102")).body("rows[0][7].truncated", equalTo(false));
    }

    @Test
    void refusesLimitsOverTheMaximum() {
        problem(rows("authors", Map.of("limit", 501)), 400, "invalid-request", "limit");
        problem(rows("authors", Map.of("limit", 0)), 400, "invalid-request", "limit");
        problem(rows("authors", Map.of("textLimit", 100001)), 400, "invalid-request", "textLimit");
        problem(rows("authors", Map.of("dir", "sideways")), 400, "invalid-request", "dir");
    }

    @Test
    void refusesValuesOfTheWrongTypeNamingTheColumn() {
        problem(rows("authors", Map.of("filter", "eq:age:abc")), 400, "invalid-request", "filter")
                .body("detail", containsString("\"age\"")).body("detail", containsString("integer"));
        problem(rows("authors", Map.of("filter", "gt:born:yesterday-ish")), 400, "invalid-request", "filter")
                .body("detail", containsString("\"born\""));
        problem(rows("authors", Map.of("filter", "eq:age:99999999999")), 400, "invalid-request", "filter");
        problem(rows("nokey", Map.of("filter", "eq:meta:{}")), 400, "invalid-request", "filter")
                .body("detail", containsString("meta"));
        problem(rows("nokey", Map.of("sort", "meta")), 400, "invalid-request", "sort");
    }

    @Test
    void refusesMissingColumnsAndMalformedFilters() {
        problem(rows("authors", Map.of("filter", "eq:nope:1")), 400, "invalid-request", "filter")
                .body("detail", containsString("nope"));
        problem(rows("authors", Map.of("filter", "isnull:nope")), 400, "invalid-request", "filter");
        problem(rows("authors", Map.of("filter", "like:name:x")), 400, "invalid-request", "filter");
        problem(rows("authors", Map.of("filter", "eq")), 400, "invalid-request", "filter");
        problem(rows("authors", Map.of("sort", "nope")), 400, "invalid-request", "sort");
    }

    @Test
    void unknownSchemaOrTableIsNotFound() {
        problem(rows("missing", Map.of()), 404, "table-not-found", null).body("table", equalTo("missing"));
        problem(given().when().get(ROWS, "no_such_schema", "authors"), 404, "table-not-found", null)
                .body("schema", equalTo("no_such_schema"));
        problem(given().when().get("/studio/api/tables/{s}/{t}", "studio_test", "missing"), 404, "table-not-found", null);
        problem(given().when().get(ROWS, "pg_catalog", "pg_class"), 404, "table-not-found", null);
        // No relation can have a NUL in its name (PostgreSQL refuses it in any text): unknown, not a database error.
        problem(given().urlEncodingEnabled(false).when().get("/studio/api/tables/studio_test/auth%00ors/rows"), 404, "table-not-found", null);
        problem(given().urlEncodingEnabled(false).when().get("/studio/api/tables/studio%00test/authors"), 404, "table-not-found", null);
    }

    @Test
    void limitsThatAreNotWholeNumbersInRangeAreTheCallersMistake() {
        for (String limit : List.of("abc", "1e3", "2147483648", "-1", "0", "501", "1.5", " 5")) {
            problem(rows("authors", Map.of("limit", limit)), 400, "invalid-request", "limit");
        }
        for (String textLimit : List.of("abc", "100001", "9999999999")) {
            problem(rows("authors", Map.of("textLimit", textLimit)), 400, "invalid-request", "textLimit");
        }
    }

    @Test
    void injectionAttemptsAreRefusedOrMatchedLiterallyAndNeverExecuted() throws Exception {
        String drop = "; DROP TABLE studio_test.canary; --";
        String quoteDrop = "\"; DROP TABLE studio_test.canary; --";
        problem(given().when().get(ROWS, "studio_test" + quoteDrop, "authors"), 404, "table-not-found", null);
        problem(given().when().get(ROWS, "studio_test", "authors" + quoteDrop), 404, "table-not-found", null);
        problem(given().when().get(ROWS, "studio_test", "authors\" WHERE 1=1 --"), 404, "table-not-found", null);
        problem(rows("authors", Map.of("sort", "id" + drop)), 400, "invalid-request", "sort");
        problem(rows("authors", Map.of("sort", "id\"" + drop)), 400, "invalid-request", "sort");
        problem(rows("authors", Map.of("dir", "asc" + drop)), 400, "invalid-request", "dir");
        problem(rows("authors", Map.of("filter", "eq:id" + drop + ":1")), 400, "invalid-request", "filter");
        problem(rows("authors", Map.of("filter", "eq:id:1" + drop)), 400, "invalid-request", "filter");
        problem(rows("authors", Map.of("filter", "eq:id:1) OR (1=1")), 400, "invalid-request", "filter");
        rows("authors", Map.of("filter", "eq:name:x' OR '1'='1")).then().statusCode(200).body("rows", hasSize(0));
        rows("authors", Map.of("filter", "contains:name:'" + drop)).then().statusCode(200).body("rows", hasSize(0));
        rows("authors", Map.of("filter", "eq:name:author 1" + drop)).then().statusCode(200).body("rows", hasSize(0));
        problem(rows("authors", Map.of("limit", "10" + drop)), 400, "invalid-request", "limit");
        // Cursors: garbage, and a well-formed cursor carrying SQL as its key value.
        problem(rows("authors", Map.of("cursor", "not a cursor" + drop)), 400, "invalid-request", "cursor");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(("k1\n-\nasc\n+" + Base64.getUrlEncoder()
                .withoutPadding().encodeToString(("1)" + drop).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8));
        problem(rows("authors", Map.of("cursor", forged)), 400, "invalid-request", "cursor");
        String otherOrder = new RowQuery.Cursor(true, "name", false, List.of("a", "1"), 0).encode();
        problem(rows("authors", Map.of("cursor", otherOrder)), 400, "invalid-request", "cursor");
        assertTrue(StudioFixture.canaryIntact(pool), "the canary table is still there and empty");
    }

    @Test
    void readsInAReadOnlyTransaction() throws Exception {
        problem(rows("sneaky_view", Map.of()), 422, "studio-query-refused", null).body("sqlState", equalTo("25006"));
        assertTrue(StudioFixture.canaryIntact(pool), "the view's function could not write");
    }

    @Test
    void rowsNeedTheReaderRole() {
        given().header("Authorization", TestTokens.bearer(TestTokens.READER)).when().get(ROWS, "studio_test", "books")
                .then().statusCode(200).body("rows", hasSize(30));
        given().header("Authorization", TestTokens.bearer(TestTokens.VIEWER)).when().get(ROWS, "studio_test", "books")
                .then().statusCode(403).contentType(containsString("problem+json"));
        given().header("Authorization", TestTokens.bearer(TestTokens.DEPLOYER)).when().get(ROWS, "studio_test", "books")
                .then().statusCode(403);
        given().header("Authorization", TestTokens.bearer(TestTokens.VIEWER)).when().get("/studio/api/tables/studio_test/books")
                .then().statusCode(200);
        given().header("Authorization", "Bearer nope").when().get("/studio/api/tables").then().statusCode(401);
    }

    @Test
    void meNamesTheCallersRoles() {
        given().header("Authorization", TestTokens.bearer(TestTokens.VIEWER)).when().get("/studio/api/me").then()
                .statusCode(200).body("roles", equalTo(List.of("viewer"))).body("open", equalTo(false));
        given().when().get("/studio/api/me").then().statusCode(200).body("roles", hasItem("reader"))
                .body("roles", hasItem("deployer"));
    }

    @Test
    void theStudioPageIsServed() {
        given().when().get("/studio/").then().statusCode(200).body(containsString("Mellon Studio"));
    }

    private static io.restassured.response.ValidatableResponse problem(Response response, int status, String type, String field) {
        io.restassured.response.ValidatableResponse then = response.then().statusCode(status)
                .contentType(containsString("application/problem+json"));
        if (type != null) {
            then.body("type", equalTo("https://mellon-migrator.dev/problems/" + type));
        }
        if (field != null) {
            then.body("field", equalTo(field));
        }
        return then;
    }
}
