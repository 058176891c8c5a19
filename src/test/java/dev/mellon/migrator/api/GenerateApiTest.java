package dev.mellon.migrator.api;

import dev.mellon.migrator.web.Problem;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * Generate, push and diff over HTTP, on the shared application. Every call here is a dry run or a refusal, so the
 * example folder and the database other test classes use are never changed.
 */
@QuarkusTest
class GenerateApiTest {

    @org.junit.jupiter.api.BeforeAll
    static void authenticateAsAdmin() {
        dev.mellon.migrator.testing.TestTokens.defaultToAdmin();
    }

    static String lastSnapshot() throws Exception {
        return Files.readString(Path.of("drizzle/meta/0001_snapshot.json"));
    }

    @Test
    void unchangedSchemaGeneratesNothing() throws Exception {
        given().contentType(ContentType.JSON).body("{\"snapshot\": " + lastSnapshot() + ", \"dryRun\": true}")
                .when().post("/migrations/generate").then()
                .statusCode(200)
                .body("changes", empty())
                .body("comparison", equalTo("snapshot"))
                .body("written", equalTo(false));
    }

    @Test
    void sqlInputGivesTheFilesOfTheNextMigration() {
        String ddl = "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email text NOT NULL, "
                + "created_at timestamp DEFAULT now() NOT NULL, new_column varchar(255), bio text); "
                + "CREATE UNIQUE INDEX email_idx ON users (email);";
        given().contentType(ContentType.JSON).body("{\"sql\": \"" + ddl + "\", \"name\": \"bio\", \"dryRun\": true}")
                .when().post("/migrations/generate").then()
                .statusCode(201)
                .body("tag", equalTo("0002_bio"))
                .body("comparison", equalTo("canonical"))
                .body("statements", contains("ALTER TABLE \"users\" ADD COLUMN \"bio\" text;"))
                .body("changes[0].kind", equalTo("column"))
                .body("changes[0].action", equalTo("create"))
                .body("migrations[0].prevId", equalTo("de854a09-29e7-4fab-8034-caccf817d528"))
                .body("migrations[0].files.path", contains("0002_bio.sql", "meta/0002_snapshot.json", "meta/_journal.json"))
                .body("written", equalTo(false))
                .body("verified", equalTo(true))
                .body("verification.status", equalTo("verified"))
                .body("verification.millis", greaterThanOrEqualTo(0));
    }

    @Test
    void aGeneratedMigrationThatFailsOnPostgresIsAProblemWithItsStatement() {
        // The snapshot's own text breaks the SQL: a default calling a function that does not exist anywhere.
        String snapshot;
        try {
            com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(lastSnapshot());
            ((com.fasterxml.jackson.databind.node.ObjectNode) json.path("tables").path("public.users").path("columns"))
                    .set("bio", new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                            "{\"name\":\"bio\",\"type\":\"text\",\"primaryKey\":false,\"notNull\":false,\"default\":\"no_such_fn()\"}"));
            snapshot = json.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        given().contentType(ContentType.JSON).body("{\"snapshot\": " + snapshot + ", \"name\": \"bio\", \"dryRun\": true}")
                .when().post("/migrations/generate").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", endsWith("generated-sql-failed"))
                .body("tag", equalTo("0002_bio"))
                .body("statementIndex", equalTo(1))
                .body("sqlState", equalTo("42883"))
                .body("statement", containsString("ADD COLUMN \"bio\""))
                .body("statements", hasItem(containsString("no_such_fn()")));
        given().contentType(ContentType.JSON).body("{\"snapshot\": " + snapshot + ", \"dryRun\": true, \"verify\": false}")
                .when().post("/migrations/generate").then()
                .statusCode(201)
                .body("verified", equalTo(false))
                .body("verification.status", equalTo("not-verified"));
    }

    @Test
    void drizzleKit10HintsNameARename() throws Exception {
        given().contentType(ContentType.JSON).body("{\"snapshot\": " + lastSnapshot().replace("\"new_column\"", "\"bio\"")
                        + ", \"dryRun\": true, \"hints\": [{\"type\": \"rename\", \"kind\": \"column\","
                        + " \"from\": [\"public\", \"users\", \"new_column\"], \"to\": [\"public\", \"users\", \"bio\"]}]}")
                .when().post("/migrations/generate").then()
                .statusCode(201)
                .body("statements", contains("ALTER TABLE \"users\" RENAME COLUMN \"new_column\" TO \"bio\";"));
        given().contentType(ContentType.JSON).body("{\"snapshot\": " + lastSnapshot() + ", \"dryRun\": true, \"hints\":"
                        + " [{\"type\": \"rename\", \"kind\": \"index\", \"from\": [\"public\", \"a\"], \"to\": [\"public\", \"b\"]}]}")
                .when().post("/migrations/generate").then()
                .statusCode(400).body("field", equalTo("hints[0].kind"));
        given().contentType(ContentType.JSON).body("{\"snapshot\": " + lastSnapshot() + ", \"dryRun\": true, \"hints\":"
                        + " [{\"type\": \"rename\", \"kind\": \"column\", \"from\": [\"users\", \"a\"], \"to\": [\"public\", \"users\", \"b\"]}]}")
                .when().post("/migrations/generate").then()
                .statusCode(400).body("field", equalTo("hints[0].from"));
    }

    @Test
    void badInputIsAProblem() throws Exception {
        given().contentType(ContentType.JSON).body("{\"sql\": \"CREATE TABLE x (id intt);\", \"dryRun\": true}")
                .when().post("/migrations/generate").then()
                .statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("sqlState", equalTo("42704")).body("line", equalTo(1)).body("column", equalTo(20));
        given().contentType(ContentType.JSON).body("{\"snapshot\": {\"version\": \"7\", \"dialect\": \"postgresql\", \"tables\": 5}}")
                .when().post("/migrations/generate").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("field", startsWith("snapshot"));
        given().contentType(ContentType.JSON).body("{\"snapshot\": " + lastSnapshot().replace("\"new_column\"", "\"bio\"")
                        + ", \"renames\": [{\"kind\": \"column\", \"from\": \"public.users.nope\", \"to\": \"public.users.bio\"}]}")
                .when().post("/migrations/generate").then()
                .statusCode(400).body("type", containsString("invalid-rename"));
        given().contentType(ContentType.JSON).body("{\"sql\": \"select 1\", \"snapshot\": {}}")
                .when().post("/migrations/generate").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"name\": \"../escape\", \"custom\": true}")
                .when().post("/migrations/generate").then().statusCode(400).body("detail", containsString("name"));
        given().contentType(ContentType.JSON).body("{\"unknown\": 1}")
                .when().post("/migrations/generate").then().statusCode(400).body("field", equalTo("unknown"));
    }

    @Test
    void pushPlansAndRefusesDataLoss() {
        given().contentType(ContentType.JSON).body("{\"sql\": \"CREATE TABLE push_probe (id int);\", \"dryRun\": true}")
                .when().post("/schema/push").then()
                .statusCode(200)
                .body("executed", equalTo(false))
                .body("statements", hasItem(startsWith("CREATE TABLE \"push_probe\"")));
    }

    @Test
    void postDiffComparesAnyTwoSources() throws Exception {
        given().contentType(ContentType.JSON).body("{\"from\": {\"sql\": \"CREATE TABLE t (x int CHECK (x BETWEEN 3 AND 320))\"},"
                        + " \"to\": {\"sql\": \"CREATE TABLE t (x int CHECK (x >= 3 AND x <= 320))\"}}")
                .when().post("/schema/diff").then()
                .statusCode(200)
                .body("inSync", equalTo(true))
                .body("comparison", equalTo("canonical"));
        given().contentType(ContentType.JSON).body("{\"from\": {\"migrations\": \"\"}, \"to\": {\"migrations\": \"0000_create_users\"}}")
                .when().post("/schema/diff").then()
                .statusCode(200)
                .body("comparison", equalTo("replay"))
                .body("sql", contains("ALTER TABLE \"users\" ADD COLUMN \"new_column\" varchar(255);"));
        given().contentType(ContentType.JSON).body("{\"from\": {\"database\": true, \"sql\": \"x\"}, \"to\": {\"migrations\": \"\"}}")
                .when().post("/schema/diff").then().statusCode(400).body("field", equalTo("from"));
    }

    @Test
    void rebaseAnswersWithProblems() {
        given().contentType(ContentType.JSON).body("{\"tag\": \"0001_add_new_column\", \"dryRun\": true}")
                .when().post("/migrations/rebase").then()
                .statusCode(409).contentType(Problem.MEDIA_TYPE).body("type", containsString("rebase-refused"))
                .body("detail", containsString("nothing to rebase"));
        given().contentType(ContentType.JSON).body("{\"tag\": \"0009_nope\"}")
                .when().post("/migrations/rebase").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"tag\": \"../x\"}")
                .when().post("/migrations/rebase").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/migrations/rebase").then().statusCode(400).body("field", equalTo("tag"));
    }
}
