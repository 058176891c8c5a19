package dev.mellon.migrator.web;

import dev.mellon.migrator.engine.gate.VersionGate;

/** The version gate's wait ended before the tag was applied. */
public final class GateTimeoutException extends RuntimeException {

    private final VersionGate.Outcome outcome;

    public GateTimeoutException(VersionGate.Outcome outcome) {
        super("\"" + outcome.tag() + "\" is not applied after " + outcome.waitedMillis() + " ms; it is "
                + GateResponse.of(outcome).status());
        this.outcome = outcome;
    }

    public VersionGate.Outcome outcome() {
        return outcome;
    }
}
