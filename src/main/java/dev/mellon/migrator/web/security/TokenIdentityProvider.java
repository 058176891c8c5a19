package dev.mellon.migrator.web.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a bearer token into an identity named after the configured token, with its roles. */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final AccessPolicy policy;

    TokenIdentityProvider(AccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return policy.tokens().match(request.getToken().getToken())
                .map(token -> Uni.createFrom().<SecurityIdentity>item(identity(token)))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("Unknown or revoked token")));
    }

    private static SecurityIdentity identity(TokenRegistry.Token token) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("token:" + token.name()));
        token.roles().forEach(role -> builder.addRole(role.wireName()));
        return builder.build();
    }
}
