package dev.mellon.migrator.web;

import dev.mellon.migrator.engine.lock.TooManyWaitersException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Problems that tell the caller to come back later carry Retry-After. */
class RetryAfterProblemsTest {

    @Test
    void tooManyWaitersIs429WithRetryAfterAndTheCap() {
        Response response = new ProblemMappers().tooManyWaiters(new TooManyWaitersException(3));
        assertEquals(429, response.getStatus());
        assertEquals("5", response.getHeaderString("Retry-After"));
        Problem problem = (Problem) response.getEntity();
        assertEquals("https://mellon-migrator.dev/problems/too-many-waiters", problem.type);
        assertEquals(3, problem.extensions().get("maxWaiters"));
        assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
    }
}
