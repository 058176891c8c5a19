package dev.mellon.migrator.web.security;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * Whether the current caller may see what the server knows beyond the problem itself: row values in a constraint
 * error's detail, another session's query text, the driver's message naming hosts and users. Only admins may; every
 * other caller gets the problem and a correlation id to find the rest in the server log.
 */
@ApplicationScoped
public class Disclosure {

    private final AccessPolicy policy;
    private final Instance<CurrentIdentityAssociation> identities;

    protected Disclosure(AccessPolicy policy, Instance<CurrentIdentityAssociation> identities) {
        this.policy = policy;
        this.identities = identities;
    }

    public boolean internalsVisible() {
        if (!policy.enabled()) {
            return true;
        }
        try {
            SecurityIdentity caller = identities.get().getIdentity();
            return caller != null && caller.hasRole(Role.ADMIN_NAME);
        } catch (RuntimeException e) {
            // No authenticated identity on this request (e.g. a failure before authentication): show nothing extra.
            return false;
        }
    }
}
