package dev.mellon.migrator.engine.sandbox;

/**
 * As whom sandboxes log in.
 *
 * @param role     the role's name
 * @param password its password, or {@code null} to log in without one (where the server trusts the client)
 * @param ownLogin true when it is the service's own login, allowed only because that login holds no privilege that
 *                 reaches beyond its own databases
 */
public record SandboxLogin(String role, String password, boolean ownLogin) {

    @Override
    public String toString() {
        // The password must never reach a log line or a problem document.
        return "SandboxLogin[role=" + role + ", ownLogin=" + ownLogin + "]";
    }
}
