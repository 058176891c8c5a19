package dev.mellon.migrator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's four hostile snapshots, sent by a viewer to the service (whose database login is a superuser in these
 * tests), and the same texts as DDL, push dry runs and generate dry runs from an admin: each is answered within 15 s,
 * never with a 500, leaks nothing it read, and leaves the cluster's roles, the service's database and the file system
 * as they were.
 */
@QuarkusTest
class SandboxApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path markers;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void markers() throws Exception {
        markers = Files.createTempDirectory("mellon-sandbox-api");
        markers.toFile().setWritable(true, false);
    }

    private static String hostile(int i) {
        return List.of("SELECT pg_read_file('/etc/hostname')::int AS a",
                "SELECT 1 AS a); COPY (SELECT 1) TO PROGRAM 'touch " + markers.resolve("pwned") + "'; SELECT (1",
                "SELECT 1 AS a); COMMIT; CREATE ROLE mellon_api_pwned NOLOGIN; SELECT (1",
                "SELECT 1 AS a FROM pg_sleep(30)").get(i);
    }

    /** The example folder's last snapshot plus one materialized view whose definition is {@code definition}. */
    private static String snapshotWithView(String definition) throws Exception {
        ObjectNode snapshot = (ObjectNode) JSON.readTree(Files.readString(Path.of("drizzle/meta/0001_snapshot.json")));
        ObjectNode view = JSON.createObjectNode();
        view.putObject("columns");
        view.put("definition", definition);
        view.put("name", "v");
        view.put("schema", "public");
        view.put("isExisting", false);
        view.put("materialized", true);
        ((ObjectNode) snapshot.get("views")).set("public.v", view);
        return JSON.writeValueAsString(snapshot);
    }

    private List<String> world() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = database.getConnection()) {
            out.addAll(Catalog.strings(c, "select rolname || ' ' || rolsuper || rolcreaterole || rolcreatedb from pg_roles order by 1"));
            out.addAll(Catalog.strings(c, "select datname from pg_database where datname like 'mellon\\_api\\_pwned%'"));
            out.addAll(Catalog.userObjects(c));
            out.addAll(Catalog.trackingRows(c));
        }
        try (Stream<Path> files = Files.list(markers)) {
            files.forEach(f -> out.add("file " + f));
        }
        return out;
    }

    private record Call(String name, String token, String path, String body) {
    }

    private static List<Call> calls() throws Exception {
        List<Call> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String snapshot = snapshotWithView(hostile(i));
            String ddl = JSON.writeValueAsString("CREATE MATERIALIZED VIEW v AS " + hostile(i));
            out.add(new Call("viewer diff, snapshot " + i, TestTokens.VIEWER, "/schema/diff",
                    "{\"from\": {\"snapshot\": " + snapshot + "}, \"to\": {\"database\": true}}"));
            out.add(new Call("admin diff, sql " + i, TestTokens.ADMIN, "/schema/diff",
                    "{\"from\": {\"sql\": " + ddl + "}, \"to\": {\"database\": true}}"));
            out.add(new Call("admin push dry run, snapshot " + i, TestTokens.ADMIN, "/schema/push",
                    "{\"snapshot\": " + snapshot + ", \"dryRun\": true}"));
            out.add(new Call("admin push dry run, sql " + i, TestTokens.ADMIN, "/schema/push",
                    "{\"sql\": " + ddl + ", \"dryRun\": true}"));
            out.add(new Call("admin generate dry run, snapshot " + i, TestTokens.ADMIN, "/migrations/generate",
                    "{\"snapshot\": " + snapshot + ", \"dryRun\": true}"));
            out.add(new Call("admin generate dry run, sql " + i, TestTokens.ADMIN, "/migrations/generate",
                    "{\"sql\": " + ddl + ", \"dryRun\": true}"));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> hostileSchemaTextsHaveNoEffectOutsideTheirSandbox() throws Exception {
        String hostname = Files.readString(Path.of("/etc/hostname")).strip();
        return calls().stream().map(call -> DynamicTest.dynamicTest(call.name(), () -> {
            List<String> before = world();
            long start = System.nanoTime();
            Response response = given().header("Authorization", TestTokens.bearer(call.token())).contentType(ContentType.JSON)
                    .body(call.body()).post(call.path());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String body = response.asString();
            assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, call.name() + " took " + took);
            assertNotEquals(500, response.statusCode(), body);
            assertFalse(body.contains("\"" + hostname + "\""), "the file's content leaked: " + body);
            assertFalse(body.contains("invalid input syntax"), "the server's message leaked: " + body);
            assertEquals(before, world(), call.name() + " changed something outside its sandbox: " + body);
        }));
    }
}
