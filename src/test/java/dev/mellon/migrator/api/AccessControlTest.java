package dev.mellon.migrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.web.security.Role;
import dev.mellon.migrator.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The role matrix, checked against every operation the OpenAPI document lists: an operation added without an entry
 * here fails the test, so no endpoint can ship unprotected by accident. Uses a plain HTTP client so that no default
 * credentials leak into the requests.
 */
@QuarkusTest
class AccessControlTest {

    /** The least role each operation needs; every role above it may call it too. */
    private static final Map<String, Role> MATRIX = Map.ofEntries(
            Map.entry("GET /migrations", Role.VIEWER),
            Map.entry("GET /migrations/pending", Role.VIEWER),
            Map.entry("GET /migrations/lock", Role.VIEWER),
            Map.entry("GET /migrations/check", Role.VIEWER),
            Map.entry("GET /migrations/{tag}", Role.VIEWER),
            Map.entry("GET /migrations/wait", Role.VIEWER),
            Map.entry("GET /migrations/history", Role.VIEWER),
            Map.entry("POST /migrations/{tag}/mark-applied", Role.DEPLOYER),
            Map.entry("POST /migrations/{tag}/accept-change", Role.ADMIN),
            Map.entry("POST /migrations/baseline", Role.ADMIN),
            Map.entry("POST /migrations/upgrade", Role.ADMIN),
            Map.entry("POST /migrations/apply", Role.DEPLOYER),
            Map.entry("GET /migrations/{tag}/down", Role.ADMIN),
            Map.entry("POST /migrations/rollback", Role.ADMIN),
            Map.entry("POST /migrations/generate", Role.ADMIN),
            Map.entry("POST /migrations/rebase", Role.ADMIN),
            Map.entry("GET /schema", Role.VIEWER),
            Map.entry("GET /schema/diff", Role.VIEWER),
            Map.entry("POST /schema/diff", Role.VIEWER),
            Map.entry("POST /schema/push", Role.ADMIN),
            Map.entry("GET /studio/api/me", Role.VIEWER),
            Map.entry("GET /studio/api/tables", Role.VIEWER),
            Map.entry("GET /studio/api/tables/{schema}/{table}", Role.VIEWER),
            Map.entry("GET /studio/api/tables/{schema}/{table}/rows", Role.READER));

    /** Bodies that pass authorisation but change nothing: a dry run, or a field every strict body refuses. */
    private static final Map<String, String> BODIES = Map.of(
            "POST /migrations/apply", "{\"dryRun\": true}");
    private static final String HARMLESS_BODY = "{\"accessControlProbe\": true}";

    private static final Map<Role, String> TOKENS = Map.of(Role.VIEWER, TestTokens.VIEWER, Role.READER, TestTokens.READER,
            Role.DEPLOYER, TestTokens.DEPLOYER, Role.ADMIN, TestTokens.ADMIN);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyDocumentedOperationHasAnEntryInTheMatrix() throws Exception {
        assertEquals(new TreeSet<>(MATRIX.keySet()), new TreeSet<>(operations()),
                "Every operation in the OpenAPI document needs a role in the matrix, and every entry an operation");
    }

    @Test
    void everyOperationRefusesCallersWithoutTheRoleItNeeds() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String operation : operations()) {
            Role needed = MATRIX.get(operation);
            if (needed == null) {
                continue;
            }
            check(failures, operation, null, 401);
            check(failures, operation, "not-a-configured-token", 401);
            for (Role role : Role.values()) {
                boolean allowed = role.closure().contains(needed);
                check(failures, operation, TOKENS.get(role), allowed ? 0 : 403);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " access-control failures:\n" + String.join("\n", failures));
        }
    }

    @Test
    void allowFlagsNeedTheAdminRole() throws Exception {
        String body = "{\"dryRun\": true, \"allowOutOfOrder\": true}";
        HttpResponse<String> deployer = send("POST /migrations/apply", TestTokens.DEPLOYER, body);
        assertEquals(403, deployer.statusCode(), deployer.body());
        assertTrue(deployer.body().contains("admin"), deployer.body());
        HttpResponse<String> admin = send("POST /migrations/apply", TestTokens.ADMIN, body);
        assertTrue(admin.statusCode() < 400, admin.statusCode() + " " + admin.body());
    }

    @Test
    void schemaSqlSourcesNeedTheAdminRole() throws Exception {
        String body = "{\"from\": {\"sql\": \"create table t (id int)\"}, \"to\": {\"database\": true}}";
        assertEquals(403, send("POST /schema/diff", TestTokens.VIEWER, body).statusCode());
    }

    @Test
    void aMissingTokenIsExplainedInWords() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/migrations")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
        assertTrue(response.body().contains("needs a bearer token"), "the secret mask must leave prose alone: " + response.body());
    }

    @Test
    void aMalformedAuthorizationHeaderIsRefusedLikeAnUnknownToken() throws Exception {
        for (String header : List.of("Basic dXNlcjpwYXNz", "Bearer", "Bearer ", TestTokens.ADMIN)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/migrations"))
                    .header("Authorization", header).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, response.statusCode(), header);
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm="), header);
        }
    }

    private void check(List<String> failures, String operation, String token, int expected) throws Exception {
        HttpResponse<String> response = send(operation, token, BODIES.getOrDefault(operation, HARMLESS_BODY));
        int status = response.statusCode();
        String who = token == null ? "no token" : token;
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (expected == 0) {
            if (status == 401 || status == 403 || status >= 500) {
                failures.add(operation + " with " + who + ": expected to be allowed, got " + status + " " + response.body());
            }
            return;
        }
        if (status != expected) {
            failures.add(operation + " with " + who + ": expected " + expected + ", got " + status + " " + response.body());
        } else if (!contentType.startsWith("application/problem+json")) {
            failures.add(operation + " with " + who + ": " + status + " is not problem+json but " + contentType);
        } else if (!response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm=")) {
            failures.add(operation + " with " + who + ": " + status + " without a Bearer WWW-Authenticate challenge");
        }
    }

    private HttpResponse<String> send(String operation, String token, String body) throws Exception {
        String method = operation.substring(0, operation.indexOf(' '));
        String path = operation.substring(operation.indexOf(' ') + 1).replace("{tag}", "0000_access_probe")
                .replace("{schema}", "public").replace("{table}", "access_probe");
        if (path.equals("/migrations/wait")) {
            path += "?timeout=PT0S";
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", TestTokens.bearer(token));
        }
        if (method.equals("POST")) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(root.toString().replaceAll("/$", "") + path);
    }

    /** "METHOD /path" for every operation of the served OpenAPI document. */
    private List<String> operations() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/q/openapi?format=json")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "the OpenAPI document is served without credentials");
        JsonNode paths = new ObjectMapper().readTree(response.body()).path("paths");
        Map<String, Boolean> operations = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (List.of("get", "post", "put", "patch", "delete").contains(method)) {
                    operations.put(method.toUpperCase() + " " + path.getKey(), true);
                }
            }
        }
        return new ArrayList<>(operations.keySet());
    }
}
