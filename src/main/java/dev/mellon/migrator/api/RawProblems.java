package dev.mellon.migrator.api;

import dev.mellon.migrator.web.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;

/**
 * Problem documents answered from the HTTP layer's own handlers, before a request reaches a resource (and its
 * exception mappers): an oversized body, a header that is not a media type.
 */
final class RawProblems {

    private RawProblems() {
    }

    /**
     * Ends the exchange with {@code problem}. With {@code close}, the connection is closed after the answer: the
     * unread body would otherwise have to be drained first, and closing is what HTTP/1.1 servers do there.
     */
    static void send(RoutingContext context, ObjectMapper json, Problem problem, boolean close) {
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + problem.status + "}";
        }
        var response = context.response().setStatusCode(problem.status).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (close) {
            response.putHeader("Connection", "close").end(body).onComplete(done -> context.request().connection().close());
        } else {
            response.end(body);
        }
    }
}
