package dev.mellon.migrator.engine.sandbox;

/**
 * No sandbox can be had: no unprivileged role to run as, no database may be created, or the server is down. The
 * message says why, for an operator; it never names a password.
 */
public final class SandboxUnavailableException extends RuntimeException {

    public SandboxUnavailableException(String message) {
        super(message);
    }

    public SandboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
