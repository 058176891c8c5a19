package dev.mellon.migrator.web.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * With authentication switched off, every caller holds every role, so the same {@code @RolesAllowed} annotations
 * serve both modes and no endpoint needs to know which one is running.
 */
@ApplicationScoped
public class OpenAccessAugmentor implements SecurityIdentityAugmentor {

    static final String PRINCIPAL = "open-access";

    private final AccessPolicy policy;

    OpenAccessAugmentor(AccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (policy.enabled() || !identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        QuarkusSecurityIdentity.Builder open = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(PRINCIPAL));
        for (Role role : Role.values()) {
            open.addRole(role.wireName());
        }
        return Uni.createFrom().item(open.build());
    }
}
