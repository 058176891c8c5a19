package dev.mellon.migrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The committed OpenAPI document must describe the code as it is. The build rewrites {@code openapi/} in place, so
 * the comparison is with the committed version ({@code git show HEAD:…}) when there is a git checkout.
 */
@QuarkusTest
class OpenApiDocumentTest {

    @org.junit.jupiter.api.BeforeAll
    static void authenticateAsAdmin() {
        dev.mellon.migrator.testing.TestTokens.defaultToAdmin();
    }

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void committedDocumentMatchesTheServedOne() throws Exception {
        String served = given().accept("application/json").when().get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString();
        String committed = committed("openapi/openapi.json");
        JsonNode expected = json.readTree(committed);
        assertEquals(expected, json.readTree(served),
                "openapi/openapi.json is stale: run ./mvnw package (it regenerates openapi/) and commit openapi/");
    }

    @Test
    void yamlAndJsonAreTheSameDocument() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper yaml =
                new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        assertEquals(json.readTree(committed("openapi/openapi.json")), yaml.readTree(committed("openapi/openapi.yaml")));
    }

    private static String committed(String path) throws IOException, InterruptedException {
        try {
            Process git = new ProcessBuilder("git", "show", "HEAD:" + path).redirectErrorStream(false).start();
            byte[] out = git.getInputStream().readAllBytes();
            if (git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0) {
                return new String(out, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            // No git here: compare with the file as it is.
        }
        return Files.readString(Path.of(path));
    }
}
