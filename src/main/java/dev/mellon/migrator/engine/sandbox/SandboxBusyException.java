package dev.mellon.migrator.engine.sandbox;

import java.time.Duration;

/** Every sandbox of this process stayed in use for as long as a request may wait for one: try again later. */
public final class SandboxBusyException extends RuntimeException {

    private final Duration retryAfter;

    public SandboxBusyException(int limit, Duration waited, Duration retryAfter) {
        super("All " + limit + " sandboxes are in use and none became free within " + waited.toMillis() + " ms; try again later");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
