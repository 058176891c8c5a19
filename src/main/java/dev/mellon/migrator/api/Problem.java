package dev.mellon.migrator.api;

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
        this.detail = detail;
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
