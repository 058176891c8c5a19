package dev.mellon.migrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.config.MigratorConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Refuses a request whose declared body is larger than {@code migrator.max-body-size} with a 413 problem document,
 * before anything reads it. The HTTP layer's own limit ({@code quarkus.http.limits.max-body-size}) stays above this
 * one as the backstop for chunked bodies, which declare no length; it answers a bare 413.
 */
@Singleton
public class BodyLimit {

    private final long limit;
    private final String limitText;
    private final ObjectMapper json;

    BodyLimit(MigratorConfig config, ObjectMapper json) {
        MemorySize limit = config.maxBodySize();
        this.limit = limit.asLongValue();
        this.limitText = limit.asLongValue() % (1024 * 1024) == 0 ? limit.asLongValue() / (1024 * 1024) + " MiB" : limit.asLongValue() + " bytes";
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String declared = context.request().getHeader("Content-Length");
            long length;
            try {
                length = declared == null ? -1 : Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length <= limit) {
                context.next();
                return;
            }
            Problem problem = new Problem("request-too-large", "Request body too large", 413,
                    "The request body is " + length + " bytes; this service accepts at most " + limitText
                            + " (migrator.max-body-size)").with("limitBytes", limit);
            String body;
            try {
                body = json.writeValueAsString(problem);
            } catch (JsonProcessingException e) {
                body = "{\"status\":413}";
            }
            // The unread body would otherwise have to be drained; closing is what HTTP/1.1 servers do here.
            context.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close").end(body)
                    .onComplete(done -> context.request().connection().close());
        });
    }
}
