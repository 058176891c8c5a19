package dev.mellon.migrator.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The REST surface against the example folder {@code drizzle/} and the application's own fresh database. The
 * methods run in order: the history is pending, then applied.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationsApiTest {

    @org.junit.jupiter.api.BeforeAll
    static void authenticateAsAdmin() {
        dev.mellon.migrator.testing.TestTokens.defaultToAdmin();
    }

    @Test
    @Order(1)
    void historyStartsPending() {
        given().when().get("/migrations").then()
                .statusCode(200)
                .body("trackingTable", equalTo("\"drizzle\".\"__drizzle_migrations\""))
                .body("counts.total", equalTo(2))
                .body("counts.pending", equalTo(2))
                .body("migrations.tag", contains("0000_create_users", "0001_add_new_column"))
                .body("migrations[0].when", equalTo(1795492790356L))
                .body("migrations[0].hash", equalTo("e2541a2d0a5e379c311f919ff1fb0ce5d8a9b4ae45ad8307fbdc9e62bcd5df5b"))
                .body("warnings", empty());
        given().when().get("/migrations/pending").then()
                .statusCode(200)
                .body("count", equalTo(2))
                .body("statements", equalTo(3))
                .body("pending.tag", contains("0000_create_users", "0001_add_new_column"));
    }

    @Test
    @Order(2)
    void driftBeforeApplyingWarnsThatEntriesArePending() {
        // The history means what the database has applied: nothing yet, so nothing is drift.
        given().when().get("/schema/diff").then()
                .statusCode(200)
                .body("inSync", equalTo(true))
                .body("comparison", equalTo("replay"))
                .body("replay.entries", equalTo(0))
                .body("pending", contains("0000_create_users", "0001_add_new_column"))
                .body("warnings[0]", containsString("2 journal entries are not applied"));
    }

    @Test
    @Order(2)
    void dryRunPlansWithoutTouchingTheDatabase() {
        given().contentType(ContentType.JSON).body("{\"dryRun\": true}")
                .when().post("/migrations/apply").then()
                .statusCode(200)
                .body("outcome", equalTo("dry-run"))
                .body("applied.tag", contains("0000_create_users", "0001_add_new_column"));
        given().when().get("/migrations/pending").then().body("count", equalTo(2));
    }

    @Test
    @Order(3)
    void applyWithoutBodyAppliesEverything() {
        given().header("X-Request-Source", "api-test").header("X-Git-Commit", "4f2a9c1e").when().post("/migrations/apply").then()
                .statusCode(200)
                .body("outcome", equalTo("applied"))
                .body("applied.tag", contains("0000_create_users", "0001_add_new_column"))
                .body("applied[0].statements", equalTo(2))
                .body("alreadyAppliedCount", equalTo(0))
                .body("waitedForLock", equalTo(false))
                .body("transaction", equalTo("all"));
    }

    @Test
    @Order(4)
    void secondApplyIsUpToDate() {
        given().contentType(ContentType.JSON).body("{\"wait\": \"PT5S\", \"transaction\": \"each\"}")
                .when().post("/migrations/apply").then()
                .statusCode(200)
                .body("outcome", equalTo("up-to-date"))
                .body("applied", empty())
                .body("alreadyApplied", contains("0000_create_users", "0001_add_new_column"))
                .body("transaction", equalTo("each"));
    }

    @Inject
    AgroalDataSource database;

    @Test
    @Order(5)
    void auditRowsSayWhoAppliedWhatFromWhere() throws Exception {
        try (Connection c = database.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select tag, action, applied_by, client_address, request_source, transaction_mode,"
                     + " statements, duration_ms >= 0 from drizzle.__mellon_migrator_audit order by id")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3).startsWith("token:test-admin via mellon-migrator@") + " "
                        + rs.getString(4) + " " + rs.getString(5) + " " + rs.getString(6) + " " + rs.getInt(7) + " " + rs.getBoolean(8));
            }
            assertEquals(List.of(
                    "0000_create_users applied true 127.0.0.1 api-test all 2 true",
                    "0001_add_new_column applied true 127.0.0.1 api-test all 1 true"), rows);
        }
        // The history says who applied each entry and how long it took.
        given().when().get("/migrations").then().statusCode(200)
                .body("migrations[0].appliedBy", org.hamcrest.Matchers.startsWith("token:test-admin via mellon-migrator@"))
                .body("migrations[0].durationMillis", org.hamcrest.Matchers.greaterThanOrEqualTo(0));
    }

    @Test
    @Order(5)
    void applyRunsAreListedNewestFirstWithTheirCallerAndCommit() {
        String runId = given().when().get("/migrations/history?outcome=applied").then()
                .statusCode(200)
                .body("runs[0].outcome", equalTo("applied"))
                .body("runs[0].gitCommit", equalTo("4f2a9c1e"))
                .body("runs[0].requestSource", equalTo("api-test"))
                .body("runs[0].clientAddress", equalTo("127.0.0.1"))
                .body("runs[0].appliedBy", startsWith("token:test-admin via mellon-migrator@"))
                .body("runs[0].planned", contains("0000_create_users", "0001_add_new_column"))
                .body("runs[0].applied", contains("0000_create_users", "0001_add_new_column"))
                .extract().path("runs[0].runId");
        given().when().get("/migrations/history?limit=1").then()
                .statusCode(200)
                .body("runs.size()", equalTo(1))
                .body("runs[0].outcome", equalTo("up-to-date"))
                .body("nextBefore", notNullValue());
        given().when().get("/migrations/history?outcome=up-to-date").then().statusCode(200)
                .body("runs.outcome", org.hamcrest.Matchers.everyItem(equalTo("up-to-date")));
        given().when().get("/migrations/history?outcome=applied&limit=500").then().statusCode(200)
                .body("runs.runId", org.hamcrest.Matchers.hasItem(runId));
        given().when().get("/migrations/history?outcome=sometimes").then().statusCode(400).body("field", equalTo("outcome"));
        given().when().get("/migrations/history?limit=0").then().statusCode(400).body("field", equalTo("limit"));
        given().when().get("/migrations/history?before=x").then().statusCode(400).body("field", equalTo("before"));
    }

    @Test
    @Order(5)
    void historyShowsAppliedWithTimes() {
        given().when().get("/migrations").then()
                .statusCode(200)
                .body("counts.applied", equalTo(2))
                .body("migrations[1].status", equalTo("applied"))
                .body("migrations[1].appliedAt", notNullValue());
        given().when().get("/migrations/pending").then().body("count", equalTo(0)).body("pending", empty());
    }

    @Test
    @Order(6)
    void oneMigrationWithItsStatementsVerbatim() {
        given().when().get("/migrations/0000_create_users").then()
                .statusCode(200)
                .body("migration.status", equalTo("applied"))
                .body("statements", hasSize(2))
                .body("statements[0].index", equalTo(1))
                .body("statements[0].sql", startsWith("CREATE TABLE \"users\" (\n\t\"id\" serial PRIMARY KEY NOT NULL,"))
                .body("statements[1].sql", equalTo("\nCREATE UNIQUE INDEX \"email_idx\" ON \"users\" USING btree (\"email\");"));
    }

    @Test
    @Order(7)
    void lockIsFreeAfterwards() {
        given().when().get("/migrations/lock").then()
                .statusCode(200)
                .body("trackingTable", equalTo("\"drizzle\".\"__drizzle_migrations\""))
                .body("holder", nullValue())
                .body("waiters", empty());
    }

    @Test
    @Order(8)
    void metricsCountTheApplies() {
        given().when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("migrator_apply_total{outcome=\"applied\"} 1.0"))
                .body(containsString("migrator_migrations_applied_total 2.0"))
                .body(containsString("migrator_lock_wait_seconds_count"));
    }

    @Test
    @Order(9)
    void appliedHistoryIsInSyncWithWhatItsSqlProduces() {
        given().when().get("/schema/diff").then()
                .statusCode(200)
                .body("inSync", equalTo(true))
                .body("comparison", equalTo("replay"))
                .body("replay.lastTag", equalTo("0001_add_new_column"))
                .body("differences", empty())
                .body("pending", empty())
                .body("unmanaged", empty());
    }

    @Test
    @Order(10)
    void driftAgainstAnEarlierEntryNamesWhatCameAfterIt() {
        given().queryParam("from", "migrations@0000_create_users").when().get("/schema/diff").then()
                .statusCode(200)
                .body("inSync", equalTo(false))
                .body("replay.lastTag", equalTo("0000_create_users"))
                .body("differences", hasSize(1))
                .body("differences[0].objectKind", equalTo("column"))
                .body("differences[0].change", equalTo("unexpected"))
                .body("differences[0].name", equalTo("public.users.new_column"));
        given().queryParam("from", "migrations@0000_create_users").queryParam("to", "migrations").when().get("/schema/diff").then()
                .statusCode(200)
                .body("differences.name", contains("public.users.new_column"));
    }

    @Test
    @Order(11)
    void schemaAsMermaidJsonAndSql() {
        String mermaid = given().queryParam("format", "mermaid").when().get("/schema").then()
                .statusCode(200).contentType("text/vnd.mermaid").extract().asString();
        assertEquals("""
                erDiagram
                  users {
                    serial id PK
                    text name
                    text email
                    timestamp created_at
                    varchar(255) new_column "nullable"
                  }
                """, mermaid);
        given().queryParam("source", "migrations").when().get("/schema").then()
                .statusCode(200)
                .body("version", equalTo("7"))
                .body("tables.'public.users'.columns.new_column.type", equalTo("varchar(255)"))
                .body("tables.'public.users'.indexes.email_idx.isUnique", equalTo(true));
        given().when().get("/schema").then()
                .statusCode(200)
                .body("id", equalTo("00000000-0000-0000-0000-000000000000"))
                .body("prevId", equalTo(""))
                .body("tables.'public.users'.columns.id.type", equalTo("serial"));
        given().queryParam("format", "sql").when().get("/schema").then()
                .statusCode(200)
                .body(containsString("CREATE TABLE \"users\" (\n\t\"id\" serial PRIMARY KEY NOT NULL,"))
                .body(containsString("CREATE UNIQUE INDEX \"email_idx\" ON \"users\" USING btree (\"email\");"));
    }

    @Test
    void folderCheckOfTheExampleIsClean() {
        given().when().get("/migrations/check").then()
                .statusCode(200)
                .body("ok", equalTo(true))
                .body("findings", empty());
    }

    @Test
    void schemaQueryProblemsNameTheParameter() {
        given().queryParam("format", "xml").when().get("/schema").then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("format"));
        given().queryParam("source", "somewhere").when().get("/schema").then()
                .statusCode(400).body("field", equalTo("source"));
        given().queryParam("to", "migrations@9999_nope").when().get("/schema/diff").then()
                .statusCode(400).body("field", equalTo("to"));
        given().queryParam("tablesFilter", "[abc").when().get("/schema/diff").then()
                .statusCode(400).body("field", equalTo("tablesFilter")).body("detail", containsString("not a valid glob"));
    }

    @Test
    void unknownTagIs404Problem() {
        given().when().get("/migrations/9999_nope").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://mellon-migrator.dev/problems/migration-not-found"))
                .body("tag", equalTo("9999_nope"));
    }

    @Test
    void tagWithDotsIs400() {
        given().urlEncodingEnabled(false).when().get("/migrations/..%2F..%2Fetc%2Fpasswd").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://mellon-migrator.dev/problems/invalid-tag"))
                .body("field", equalTo("tag"));
    }

    @Test
    void unknownPathIsAProblemToo() {
        given().when().get("/nothing-here").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void malformedJsonBody() {
        given().contentType(ContentType.JSON).body("{\"dryRun\": tru").when().post("/migrations/apply").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://mellon-migrator.dev/problems/invalid-request"))
                .body("detail", containsString("not valid JSON"));
    }

    @Test
    void wrongTypeNamesTheField() {
        given().contentType(ContentType.JSON).body("{\"dryRun\": \"maybe\"}").when().post("/migrations/apply").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("dryRun"));
    }

    @Test
    void unknownFieldIsRefused() {
        given().contentType(ContentType.JSON).body("{\"dryrun\": true}").when().post("/migrations/apply").then()
                .statusCode(400)
                .body("field", equalTo("dryrun"))
                .body("detail", containsString("dryRun"));
    }

    @Test
    void unknownTransactionMode() {
        given().contentType(ContentType.JSON).body("{\"transaction\": \"some\"}").when().post("/migrations/apply").then()
                .statusCode(400)
                .body("field", equalTo("transaction"))
                .body("detail", containsString("\"all\" or \"each\""));
    }

    @Test
    void negativeOrMalformedWait() {
        given().contentType(ContentType.JSON).body("{\"wait\": \"-PT1S\"}").when().post("/migrations/apply").then()
                .statusCode(400).body("field", equalTo("wait"));
        given().contentType(ContentType.JSON).body("{\"wait\": \"10 seconds\"}").when().post("/migrations/apply").then()
                .statusCode(400).body("field", equalTo("wait")).body("detail", containsString("ISO-8601"));
        given().contentType(ContentType.JSON).body("{\"wait\": \"PT11M\"}").when().post("/migrations/apply").then()
                .statusCode(400).body("field", equalTo("wait")).body("detail", containsString("PT10M"));
    }

    @Test
    void unknownTargetNamesTheField() {
        given().contentType(ContentType.JSON).body("{\"to\": \"0042_missing\", \"dryRun\": true}").when().post("/migrations/apply").then()
                .statusCode(400)
                .body("field", equalTo("to"))
                .body("tag", equalTo("0042_missing"));
    }

    @Test
    void readinessChecksTheDatabaseAndLivenessDoesNot() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.containsInAnyOrder("database",
                        "migrations up to date"))
                .body("checks.find { it.name == 'migrations up to date' }.data.required", equalTo(false));
        given().when().get("/q/health/live").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks", empty());
    }
}
