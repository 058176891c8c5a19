package dev.mellon.migrator.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mellon.migrator.testing.Recipes;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recipes in {@code docs/} parse, carry the fields they promise, and call only endpoints of the OpenAPI document.
 * RecipesIT runs their shell steps against the packaged service.
 */
class RecipesTest {

    @Test
    void curlWorkflowAppliesWithABearerTokenFromASecretAndFailsOnNon2xx() throws Exception {
        JsonNode workflow = Recipes.yaml("github-actions-curl.yml");
        JsonNode step = Recipes.step(workflow, "migrate");
        assertEquals("${{ secrets.MIGRATOR_TOKEN }}", step.get("env").get("MIGRATOR_TOKEN").asText());
        String run = step.get("run").asText();
        assertTrue(run.contains("--fail-with-body"), run);
        assertTrue(run.contains("Authorization: Bearer $MIGRATOR_TOKEN"), run);
        assertTrue(run.contains("jq") && run.contains(".detail") && run.contains("exit 1"), run);
        List<Recipes.Call> calls = Recipes.calls(run);
        assertEquals(List.of(new Recipes.Call("post", "/migrations/apply", null)), calls);
        for (Recipes.Call call : calls) {
            assertTrue(Recipes.inOpenApi(call), call + " is not in openapi/openapi.yaml");
        }
        Matcher wait = Pattern.compile("\"wait\": \"(PT\\w+)\"").matcher(run);
        assertTrue(wait.find(), run);
        assertTrue(Duration.parse(wait.group(1)).compareTo(Duration.ofMinutes(10)) <= 0, "wait above migrator.lock-wait-max");
    }

    @Test
    void cliWorkflowRunsApplyJsonAndNamesTheDocumentedExitCodes() throws Exception {
        JsonNode workflow = Recipes.yaml("github-actions-cli.yml");
        JsonNode step = Recipes.step(workflow, "migrate");
        assertEquals("${{ secrets.DATABASE_URL }}", step.get("env").get("DATABASE_URL").asText());
        String run = step.get("run").asText();
        assertTrue(run.contains("java -jar \"$MIGRATOR_JAR\" apply --json"), run);
        assertTrue(run.contains("exit \"$code\""), run);

        Map<String, String> documented = exitCodes();
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), documented.keySet().stream().sorted().toList());
        // The words each documented code and the recipe's message for it must share.
        Map<String, String> keyword = Map.of("2", "bad usage", "4", "lock", "5", "refused");
        Matcher cases = Pattern.compile("(?m)^\\s*(\\d)\\) what=\"([^\"]+)\"").matcher(run);
        int seen = 0;
        while (cases.find()) {
            seen++;
            String word = keyword.get(cases.group(1));
            assertTrue(word != null && documented.get(cases.group(1)).contains(word) && cases.group(2).contains(word),
                    "exit " + cases.group(1) + " is \"" + documented.get(cases.group(1)) + "\" in docs/cli.md, the recipe says \"" + cases.group(2) + "\"");
        }
        assertEquals(3, seen, run);
    }

    /** docs/cli.md: the exit code table. */
    private static Map<String, String> exitCodes() throws Exception {
        String readme = Files.readString(Path.of("docs/cli.md"));
        String table = readme.substring(readme.indexOf("**Exit codes**"));
        table = table.substring(0, table.indexOf("\n\n", table.indexOf("|")));
        Map<String, String> codes = new HashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| (\\d) \\| (.+) \\|$").matcher(table);
        while (row.find()) {
            codes.put(row.group(1), row.group(2));
        }
        return codes;
    }

    @Test
    void kubernetesServiceHasProbesSecretsAndARestrictedContext() throws Exception {
        List<JsonNode> docs = Recipes.documents("kubernetes.yaml");
        JsonNode deployment = Recipes.resource(docs, "Deployment", "mellon-migrator");
        JsonNode pod = deployment.get("spec").get("template").get("spec");
        JsonNode container = pod.get("containers").get(0);

        assertEquals("/q/health/ready", container.get("readinessProbe").get("httpGet").get("path").asText());
        assertEquals("/q/health/live", container.get("livenessProbe").get("httpGet").get("path").asText());
        assertEquals(8080, container.get("ports").get(0).get("containerPort").asInt());
        assertTrue(Recipes.inOpenApi(new Recipes.Call("get", "/migrations/wait", null)));

        assertTrue(pod.get("securityContext").get("runAsNonRoot").asBoolean());
        assertEquals(185, pod.get("securityContext").get("runAsUser").asInt());
        assertTrue(container.get("securityContext").get("readOnlyRootFilesystem").asBoolean());
        String tmpVolume = null;
        for (JsonNode mount : container.get("volumeMounts")) {
            if ("/tmp".equals(mount.get("mountPath").asText())) {
                tmpVolume = mount.get("name").asText();
            }
        }
        assertTrue(tmpVolume != null, "no /tmp mount");
        boolean emptyDir = false;
        for (JsonNode volume : pod.get("volumes")) {
            emptyDir |= volume.get("name").asText().equals(tmpVolume) && volume.has("emptyDir");
        }
        assertTrue(emptyDir, "/tmp is not an emptyDir");

        String secretName = container.get("envFrom").get(0).get("secretRef").get("name").asText();
        JsonNode secret = Recipes.resource(docs, "Secret", secretName).get("stringData");
        assertTrue(secret.has("DATABASE_URL") && secret.has("MIGRATOR_DIRECT_DATABASE_URL"), secret.toString());
        int tokens = 0;
        for (var it = secret.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            Matcher m = Pattern.compile("MIGRATOR_AUTH_TOKENS_([A-Z0-9]+)_HASH").matcher(key);
            if (m.matches()) {
                tokens++;
                assertTrue(secret.get(key).asText().matches("sha256:[0-9a-f]{64}"), key);
                String roles = secret.path("MIGRATOR_AUTH_TOKENS_" + m.group(1) + "_ROLES").asText();
                assertTrue(roles.matches("(viewer|reader|deployer|admin)(,(viewer|reader|deployer|admin))*"), key + " roles: " + roles);
            }
        }
        assertTrue(tokens >= 1, "no MIGRATOR_AUTH_TOKENS_<NAME>_HASH");

        JsonNode service = Recipes.resource(docs, "Service", "mellon-migrator");
        assertEquals(deployment.get("spec").get("selector").get("matchLabels"), service.get("spec").get("selector"));
        assertEquals(container.get("ports").get(0).get("name").asText(), service.get("spec").get("ports").get(0).get("targetPort").asText());
    }

    @Test
    void kubernetesApplicationGatesOnTheVersionGate() throws Exception {
        List<JsonNode> docs = Recipes.documents("kubernetes.yaml");
        JsonNode init = Recipes.resource(docs, "Deployment", "app").get("spec").get("template").get("spec").get("initContainers").get(0);
        String shell = init.get("command").get(2).asText();
        assertTrue(shell.startsWith("curl --fail "), shell);
        assertTrue(shell.contains("\"$MIGRATOR/migrations/wait?timeout=PT5M\""), shell);
        assertTrue(shell.contains("-H \"Authorization: Bearer $TOKEN\""), shell);
        for (Recipes.Call call : Recipes.calls(shell)) {
            assertTrue(Recipes.inOpenApi(call), call + " is not in openapi/openapi.yaml");
        }
        Map<String, JsonNode> env = new HashMap<>();
        init.get("env").forEach(e -> env.put(e.get("name").asText(), e));
        assertEquals("http://" + Recipes.resource(docs, "Service", "mellon-migrator").get("metadata").get("name").asText(),
                env.get("MIGRATOR").get("value").asText());
        String secret = env.get("TOKEN").get("valueFrom").get("secretKeyRef").get("name").asText();
        assertFalse(Recipes.resource(docs, "Secret", secret).get("stringData").path("TOKEN").isMissingNode());
    }

    @Test
    void readmeLinksEveryRecipe() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (String recipe : List.of("github-actions-curl.yml", "github-actions-cli.yml", "kubernetes.yaml", "drizzle-project.md")) {
            assertTrue(readme.contains("](docs/" + recipe + ")"), "README does not link docs/" + recipe);
            assertTrue(Files.isRegularFile(Recipes.DOCS.resolve(recipe)), recipe);
        }
    }
}
