package dev.mellon.migrator.web;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem document. {@code type} is stable per kind of error, so clients can branch on it; the
 * extension members say where the problem is (file, field, migration tag, statement, SQLSTATE).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
@Schema(name = "Problem", description = "RFC 9457 problem details; extension members name the file, field, tag, statement or SQLSTATE concerned")
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);
    private static final String TYPE_BASE = "https://mellon-migrator.dev/problems/";

    public final String type;
    public final String title;
    public final int status;
    public final String detail;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public Problem(String kind, String title, int status, String detail) {
        this.type = TYPE_BASE + kind;
        this.title = title;
        this.status = status;
        // Whatever produced the detail, a password or token in it never reaches the caller.
        this.detail = dev.mellon.migrator.config.Secrets.mask(plain(detail));
    }

    private static final java.util.regex.Pattern CREATOR = java.util.regex.Pattern.compile(
            "Cannot construct instance of (`[^`]+`) \\(although at least one Creator exists\\): no [\\w/-]+-argument constructor/factory method to deserialize from (\\w+) value \\(([^)]*)\\)");
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile(" \\(token `JsonToken\\.[A-Z_]+`\\)");
    private static final java.util.regex.Pattern JAVA_TYPE = java.util.regex.Pattern.compile("`(?:[a-z_][\\w]*\\.)+([A-Za-z_][\\w$]*)(?:<[^`]*>)?`");

    /**
     * Details are for API callers: the Java type names and parser tokens that JSON binding messages carry (e.g.
     * {@code `java.lang.Boolean`}, {@code `dev.mellon…ApplyRequest`}) become the JSON words a caller knows.
     */
    public static String plain(String detail) {
        if (detail == null) {
            return null;
        }
        String out = CREATOR.matcher(detail).replaceAll("Cannot deserialize value of type $1 from $2 value $3");
        out = TOKEN.matcher(out).replaceAll("");
        java.util.regex.Matcher m = JAVA_TYPE.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String simple = m.group(1);
            String word = switch (simple) {
                case "Boolean", "boolean" -> "boolean";
                case "String", "Character", "char" -> "string";
                case "Integer", "Long", "Short", "Byte", "int", "long", "short", "BigInteger" -> "integer";
                case "Double", "Float", "BigDecimal", "double", "float" -> "number";
                case "ArrayList", "List", "Collection", "Set", "HashSet", "LinkedHashSet" -> "array";
                case "JsonNode", "ObjectNode", "ArrayNode" -> "JSON value";
                default -> "object";
            };
            m.appendReplacement(sb, word);
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Adds an extension member; {@code null} values are left out. */
    public Problem with(String name, Object value) {
        if (value != null) {
            extensions.put(name, value);
        }
        return this;
    }

    @JsonAnyGetter
    public Map<String, Object> extensions() {
        return extensions;
    }

    public Response toResponse() {
        return toResponseBuilder().build();
    }

    public Response.ResponseBuilder toResponseBuilder() {
        return Response.status(status).type(PROBLEM_JSON).entity(this);
    }
}
