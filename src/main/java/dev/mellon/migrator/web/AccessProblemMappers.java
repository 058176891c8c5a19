package dev.mellon.migrator.web;

import dev.mellon.migrator.web.security.BearerTokenMechanism;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Refused callers as problems with a Bearer challenge: no token (401), a bad one (401), too few roles (403). */
public class AccessProblemMappers {

    /** No credentials on an operation that needs them (RFC 6750: a bare challenge). */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return new Problem("unauthorized", "Authentication required", 401,
                "This operation needs a bearer token: send Authorization: Bearer <token>")
                .toResponseBuilder().header(HttpHeaders.WWW_AUTHENTICATE, BearerTokenMechanism.CHALLENGE).build();
    }

    /** A token was sent but is unknown or malformed; the reason is the same for both, so guesses learn nothing. */
    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e) {
        return new Problem("unauthorized", "Authentication failed", 401,
                "The bearer token is malformed, unknown or revoked")
                .toResponseBuilder().header(HttpHeaders.WWW_AUTHENTICATE,
                        BearerTokenMechanism.CHALLENGE + ", error=\"invalid_token\"").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        String detail = e.getMessage() == null || e.getMessage().isBlank()
                ? "This token's roles do not allow this operation" : e.getMessage();
        return new Problem("forbidden", "Forbidden", 403, detail)
                .toResponseBuilder().header(HttpHeaders.WWW_AUTHENTICATE,
                        BearerTokenMechanism.CHALLENGE + ", error=\"insufficient_scope\"").build();
    }
}
