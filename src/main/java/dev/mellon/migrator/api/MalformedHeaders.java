package dev.mellon.migrator.api;

import dev.mellon.migrator.web.Problem;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Refuses a request whose {@code Content-Type} or {@code Accept} is not a media type at all ({@code ;;;}, {@code /})
 * with a 400 problem document, before routing: left to the REST layer, such a header fails inside its content
 * negotiation and would answer 500 with a stack trace in the log.
 */
@Singleton
public class MalformedHeaders {

    private static final Logger LOG = Logger.getLogger(MalformedHeaders.class);
    private final ObjectMapper json;

    MalformedHeaders(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        for (String header : List.of("Content-Type", "Accept")) {
            for (String value : context.request().headers().getAll(header)) {
                String bad = firstMalformed(header, value);
                if (bad != null) {
                    LOG.infof("Refused %s %s: its %s header is not a media type", context.request().method(),
                            context.request().path(), header);
                    RawProblems.send(context, json, new Problem("invalid-request", "Invalid request", 400,
                            "The " + header + " header is not a media type (type/subtype): \"" + bad + "\"").with("field", header), true);
                    return;
                }
            }
        }
        context.next();
    }

    /** The part of the header that is not a media type, or {@code null}; {@code Accept} holds a comma-separated list. */
    static String firstMalformed(String header, String value) {
        List<String> parts = header.equals("Accept") ? List.of(value.split(",")) : List.of(value);
        for (String part : parts) {
            String type = part.strip();
            if (type.isEmpty() && header.equals("Accept")) {
                continue; // an empty element of a list is tolerated (RFC 9110, 5.6.1)
            }
            try {
                MediaType parsed = MediaType.valueOf(type);
                if (parsed.getType().isEmpty() || parsed.getSubtype().isEmpty() || parsed.getSubtype().contains("/")) {
                    return type;
                }
            } catch (IllegalArgumentException e) {
                return type;
            }
        }
        return null;
    }
}
