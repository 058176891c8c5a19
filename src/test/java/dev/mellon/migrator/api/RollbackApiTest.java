package dev.mellon.migrator.api;

import dev.mellon.migrator.web.Problem;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Rollback over HTTP on the shared application: only reads, dry runs and refusals, so the example folder and the
 * database other test classes use are left as they were (whether the example is applied yet or not).
 */
@QuarkusTest
class RollbackApiTest {

    @BeforeAll
    static void authenticateAsAdmin() {
        dev.mellon.migrator.testing.TestTokens.defaultToAdmin();
    }

    @Test
    void theDownOfAGeneratedEntryIsComputedFromItsSnapshots() {
        given().when().get("/migrations/0000_create_users/down").then()
                .statusCode(200)
                .body("tag", equalTo("0000_create_users"))
                .body("source", equalTo("computed"))
                .body("comparison", equalTo("snapshot"))
                .body("statements.sql", hasItem(containsString("DROP TABLE \"users\"")))
                .body("hazards.code", hasItem("deletes-data"));
        given().when().get("/migrations/0001_add_new_column/down").then()
                .statusCode(200)
                .body("statements[0].sql", containsString("DROP COLUMN \"new_column\""));
        given().when().get("/migrations/0009_nope/down").then()
                .statusCode(404).contentType(Problem.MEDIA_TYPE).body("tag", equalTo("0009_nope"));
    }

    @Test
    void badRollbackRequestsAreProblems() {
        given().contentType(ContentType.JSON).body("{}").when().post("/migrations/rollback").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("field", equalTo("to"));
        given().contentType(ContentType.JSON).body("{\"to\": \"0009_nope\"}").when().post("/migrations/rollback").then()
                .statusCode(400).body("field", equalTo("to")).body("tag", equalTo("0009_nope"));
        given().contentType(ContentType.JSON).body("{\"to\": \"../x\"}").when().post("/migrations/rollback").then()
                .statusCode(400).body("type", containsString("invalid-tag"));
        given().contentType(ContentType.JSON).body("{\"to\": \"\", \"dryrun\": true}").when().post("/migrations/rollback").then()
                .statusCode(400).body("field", equalTo("dryrun"));
        given().contentType(ContentType.JSON).body("{\"to\": \"\", \"dryRun\": true, \"wait\": \"soon\"}")
                .when().post("/migrations/rollback").then().statusCode(400).body("field", equalTo("wait"));
    }

    @Test
    void aDryRunPlansAndARollbackThatLosesDataIsRefused() {
        int applied = given().when().get("/migrations").then().statusCode(200).extract().path("counts.applied");
        given().contentType(ContentType.JSON).body("{\"to\": \"\", \"dryRun\": true}").when().post("/migrations/rollback").then()
                .statusCode(200)
                .body("outcome", equalTo("dry-run"))
                .body("rolledBack.size()", equalTo(applied));
        if (applied > 0) {
            given().contentType(ContentType.JSON).body("{\"to\": \"\"}").when().post("/migrations/rollback").then()
                    .statusCode(409).contentType(Problem.MEDIA_TYPE)
                    .body("type", containsString("rollback-refused"))
                    .body("reason", equalTo("data-loss"))
                    .body("allowWith", equalTo("acceptDataLoss"))
                    .body("hazards.code", hasItem("deletes-data"));
            given().contentType(ContentType.JSON).body("{\"to\": \"0001_add_new_column\", \"dryRun\": true}")
                    .when().post("/migrations/rollback").then()
                    .statusCode(200).body("rolledBack.size()", equalTo(0));
        } else {
            given().contentType(ContentType.JSON).body("{\"to\": \"0000_create_users\", \"dryRun\": true}")
                    .when().post("/migrations/rollback").then()
                    .statusCode(409).body("reason", equalTo("target-not-applied")).body("tags[0]", equalTo("0000_create_users"));
        }
        given().when().get("/migrations").then().body("counts.applied", equalTo(applied));
    }
}
