package dev.mellon.migrator.engine;

/** No shadow database can be had (the role may not create databases, the shadow server is down). */
public final class ShadowUnavailableException extends RuntimeException {
    public ShadowUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
