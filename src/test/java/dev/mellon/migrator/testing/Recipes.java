package dev.mellon.migrator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The recipes in {@code docs/} read as YAML, for the tests that check them (RecipesTest, RecipesIT). */
public final class Recipes {

    public static final Path DOCS = Path.of("docs");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A call the recipe makes: the HTTP method and the path, query left out. */
    public record Call(String method, String path, String query) {
    }

    private Recipes() {
    }

    public static JsonNode yaml(String file) throws IOException {
        return YAML.readTree(Files.readString(DOCS.resolve(file)));
    }

    /** Every document of a multi-document YAML file. */
    public static List<JsonNode> documents(String file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(DOCS.resolve(file)))) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    /** The step with this {@code id} in any job of a GitHub Actions workflow. */
    public static JsonNode step(JsonNode workflow, String id) {
        for (JsonNode job : workflow.get("jobs")) {
            for (JsonNode step : job.get("steps")) {
                if (id.equals(step.path("id").asText())) {
                    return step;
                }
            }
        }
        throw new AssertionError("no step with id " + id);
    }

    /** The named document of a kind ({@code Deployment}, {@code Service}, {@code Secret}) of a Kubernetes file. */
    public static JsonNode resource(List<JsonNode> documents, String kind, String name) {
        return documents.stream()
                .filter(d -> kind.equals(d.path("kind").asText()) && name.equals(d.path("metadata").path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    private static final Pattern URL = Pattern.compile("\"\\$\\{?(?:MIGRATOR_URL|MIGRATOR)}?(/[^\"?\\s]*)(?:\\?([^\"\\s]*))?\"");

    /** The service calls a shell command makes: {@code "$MIGRATOR_URL/path?query"}, with -X POST when given. */
    public static List<Call> calls(String shell) {
        List<Call> calls = new ArrayList<>();
        // One curl command per logical line (backslash continuations joined).
        for (String command : shell.replace("\\\n", " ").split("\n")) {
            Matcher m = URL.matcher(command);
            while (m.find()) {
                String method = command.matches(".*-X\\s+POST.*") ? "post" : "get";
                calls.add(new Call(method, m.group(1), m.group(2)));
            }
        }
        return calls;
    }

    /** Whether the OpenAPI document has this operation ({@code {tag}} path templates match any segment). */
    public static boolean inOpenApi(Call call) throws IOException {
        JsonNode paths = YAML.readTree(Files.readString(Path.of("openapi/openapi.yaml"))).get("paths");
        for (var it = paths.fields(); it.hasNext(); ) {
            var path = it.next();
            String regex = Pattern.quote(path.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            if (call.path().matches(regex) && path.getValue().has(call.method())) {
                return true;
            }
        }
        return false;
    }
}
