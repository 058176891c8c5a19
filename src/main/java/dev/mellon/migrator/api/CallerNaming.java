package dev.mellon.migrator.api;

import dev.mellon.migrator.engine.sandbox.Requester;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Names the caller (its token's name, or {@code anonymous}) for the engine work an endpoint does on its own thread,
 * so that a refused or failed sandbox statement is logged with who sent it.
 */
@CallerNamed
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class CallerNaming {

    @Inject
    SecurityIdentity identity;

    @AroundInvoke
    Object named(InvocationContext invocation) throws Exception {
        String who;
        try {
            who = identity.isAnonymous() ? "anonymous" : "token " + identity.getPrincipal().getName();
        } catch (RuntimeException e) {
            who = "anonymous";
        }
        return Requester.call(who, invocation::proceed);
    }
}
