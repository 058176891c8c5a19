package dev.mellon.migrator.api;

import dev.mellon.migrator.web.Problem;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.config.MigratorConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Refuses a request body larger than {@code migrator.max-body-size} with a 413 problem document: a declared length
 * before anything reads the body, a chunked body (which declares none) as soon as it has grown past the limit. The
 * HTTP layer's own limit ({@code quarkus.http.limits.max-body-size}) stays above this one as a backstop.
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
        // A chunked body is read here, up to the limit, and the REST layer takes it from the routing context; past the
        // limit the body handler fails the exchange with 413, answered below as a problem.
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(limit);
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            if (context.statusCode() == 413) {
                RawProblems.send(context, json, tooLarge("The chunked request body grew past " + limitText), true);
            } else {
                context.next();
            }
        });
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            if (context.request().getHeader("Content-Length") == null
                    && "chunked".equalsIgnoreCase(String.valueOf(context.request().getHeader("Transfer-Encoding")).strip())) {
                chunked.handle(context);
                return;
            }
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
            RawProblems.send(context, json, tooLarge("The request body is " + length + " bytes"), true);
        });
    }

    private Problem tooLarge(String what) {
        return new Problem("request-too-large", "Request body too large", 413, what + "; this service accepts at most "
                + limitText + " (migrator.max-body-size)").with("limitBytes", limit);
    }
}
