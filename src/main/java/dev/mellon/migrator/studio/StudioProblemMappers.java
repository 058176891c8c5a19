package dev.mellon.migrator.studio;

import dev.mellon.migrator.web.Problem;
import dev.mellon.migrator.web.ProblemMappers;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The studio's own failures as problem documents, beside the service's ({@link ProblemMappers}). */
public class StudioProblemMappers {

    @ServerExceptionMapper
    public Response unknownTable(UnknownTableException e) {
        return new Problem("table-not-found", "Table not found", 404, e.getMessage())
                .with("schema", e.schema()).with("table", e.table()).toResponse();
    }

    @ServerExceptionMapper
    public Response studioTimeout(StudioTimeoutException e) {
        return new Problem("statement-timeout", "Query cancelled by the statement timeout", 503, e.getMessage())
                .with("timeoutMillis", e.timeoutMillis()).toResponseBuilder()
                .header("Retry-After", ProblemMappers.RETRY_AFTER_SECONDS).build();
    }

    @ServerExceptionMapper
    public Response studioRefused(StudioQueryRefusedException e) {
        return new Problem("studio-query-refused", "Query refused", 422, e.getMessage())
                .with("sqlState", e.sqlState()).toResponse();
    }
}
