package dev.mellon.migrator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.Prerequisites;
import dev.mellon.migrator.testing.Recipes;
import dev.mellon.migrator.testing.ServiceProcess;
import dev.mellon.migrator.testing.TestDatabase;
import dev.mellon.migrator.testing.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shell steps of the recipes in {@code docs/}, run as a CI runner or an init container would run them, against
 * the packaged service (or, for the CLI recipe, the packaged jar) and a real database: a 2xx passes, a 409 or 422
 * fails the step and prints the problem's detail.
 */
class RecipesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String output) {
    }

    @BeforeAll
    static void tools() {
        for (String tool : List.of("bash", "curl", "jq")) {
            Prerequisites.require(available(tool), tool + " is not installed, which the recipes' shell steps need");
        }
    }

    private static boolean available(String tool) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static Run shell(Path dir, String script, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.equals("DATABASE_URL") || k.startsWith("MIGRATOR") || k.startsWith("GITHUB_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the step did not end");
        Run run = new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        System.out.println("[recipe step] exit " + run.exit() + "\n    " + run.output().strip().replace("\n", "\n    "));
        return run;
    }

    private static String step(String file) throws Exception {
        return Recipes.step(Recipes.yaml(file), "migrate").get("run").asText();
    }

    private static void edit(Path file) throws Exception {
        Files.writeString(file, "\n-- edited after it ran", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Test
    void curlStepPassesOn200AndFailsPrintingTheDetailOn409And422(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("drizzle");
        new FolderBuilder(folder).migration("create_a", "CREATE TABLE a (id int PRIMARY KEY);")
                .migration("create_b", "CREATE TABLE b (id int PRIMARY KEY);").write();
        String run = step("github-actions-curl.yml");
        try (TestDatabase database = TestDatabase.create("mellon_recipe_curl");
             ServiceProcess service = ServiceProcess.start(database.database(), folder)) {
            Map<String, String> env = Map.of("MIGRATOR_URL", service.url(), "MIGRATOR_TOKEN", TestTokens.ADMIN);

            Run applied = shell(dir, run, env);
            assertEquals(0, applied.exit(), applied.output());
            assertTrue(applied.output().contains("applied: 2 applied, 0 already applied"), applied.output());
            assertTrue(applied.output().contains("0001_create_b"), applied.output());

            Run upToDate = shell(dir, run, env);
            assertEquals(0, upToDate.exit(), upToDate.output());
            assertTrue(upToDate.output().contains("up-to-date: 0 applied, 2 already applied"), upToDate.output());

            edit(folder.resolve("0000_create_a.sql"));
            String detail = JSON.readTree(service.post("/migrations/apply", null).body()).get("detail").asText();
            Run changed = shell(dir, run, env);
            assertEquals(1, changed.exit(), changed.output());
            assertTrue(changed.output().contains("::error title=Migrations not applied::"), changed.output());
            assertTrue(changed.output().contains("(409): " + detail), changed.output());

            Files.writeString(folder.resolve("meta/_journal.json"), "{ not json");
            Run broken = shell(dir, run, env);
            assertEquals(1, broken.exit(), broken.output());
            assertTrue(broken.output().contains("(422): "), broken.output());
            assertTrue(broken.output().contains("\"type\": \"https://mellon-migrator.dev/problems/journal-invalid\""), broken.output());

            Run unauthorized = shell(dir, run, Map.of("MIGRATOR_URL", service.url(), "MIGRATOR_TOKEN", "wrong"));
            assertEquals(1, unauthorized.exit(), unauthorized.output());
            assertTrue(unauthorized.output().contains("::error title=Migrations not applied::"), unauthorized.output());

            Run unreachable = shell(dir, run, Map.of("MIGRATOR_URL", "http://127.0.0.1:9", "MIGRATOR_TOKEN", TestTokens.ADMIN));
            assertEquals(1, unreachable.exit(), unreachable.output());
            assertTrue(unreachable.output().contains("::error title=Migrations not applied::curl exited with 7"), unreachable.output());
        }
    }

    @Test
    void cliStepPassesOnSuccessAndFailsWithExitFivePrintingTheDetail(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("drizzle");
        new FolderBuilder(folder).migration("create_a", "CREATE TABLE a (id int PRIMARY KEY);").write();
        String run = step("github-actions-cli.yml");
        try (TestDatabase database = TestDatabase.create("mellon_recipe_cli")) {
            Map<String, String> env = Map.of("DATABASE_URL", database.database().postgresUrl(),
                    "MIGRATOR_JAR", ServiceProcess.jar().toAbsolutePath().toString(),
                    "JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -Dquarkus.analytics.disabled=true");

            Run applied = shell(dir, run, env);
            assertEquals(0, applied.exit(), applied.output());
            assertTrue(applied.output().contains("applied: 1 applied, 0 already applied"), applied.output());

            edit(folder.resolve("0000_create_a.sql"));
            Run changed = shell(dir, run, env);
            assertEquals(5, changed.exit(), changed.output());
            assertTrue(changed.output().contains("::error title=Migrations not applied (exit 5, refused"), changed.output());
            JsonNode problem = JSON.readTree(Files.readString(dir.resolve("reply.json")));
            assertEquals("https://mellon-migrator.dev/problems/migration-changed", problem.get("type").asText());
            assertTrue(changed.output().contains(problem.get("detail").asText()), changed.output());
        }
    }

    @Test
    void initContainerPassesOnceTheNewestEntryIsAppliedAndFailsOn408(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("drizzle");
        FolderBuilder builder = new FolderBuilder(folder).migration("create_a", "CREATE TABLE a (id int PRIMARY KEY);");
        builder.write();
        List<JsonNode> docs = Recipes.documents("kubernetes.yaml");
        String command = Recipes.resource(docs, "Deployment", "app").get("spec").get("template").get("spec")
                .get("initContainers").get(0).get("command").get(2).asText();
        try (TestDatabase database = TestDatabase.create("mellon_recipe_gate");
             ServiceProcess service = ServiceProcess.start(database.database(), folder)) {
            Map<String, String> env = Map.of("MIGRATOR", service.url(), "TOKEN", TestTokens.ADMIN);
            assertEquals(200, service.post("/migrations/apply", null).statusCode());
            Run ready = shell(dir, command, env);
            assertEquals(0, ready.exit(), ready.output());
            assertTrue(ready.output().contains("0000_create_a"), ready.output());

            builder.migration("create_b", "CREATE TABLE b (id int PRIMARY KEY);").write();
            Run waiting = shell(dir, command.replace("timeout=PT5M", "timeout=PT1S"), env);
            assertEquals(22, waiting.exit(), waiting.output());
            assertTrue(waiting.output().contains("408"), waiting.output());
        }
    }
}
