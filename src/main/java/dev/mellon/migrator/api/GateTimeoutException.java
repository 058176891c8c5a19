package dev.mellon.migrator.api;

import dev.mellon.migrator.engine.VersionGate;

/** The version gate's wait ended before the tag was applied. */
final class GateTimeoutException extends RuntimeException {

    private final VersionGate.Outcome outcome;

    GateTimeoutException(VersionGate.Outcome outcome) {
        super("\"" + outcome.tag() + "\" is not applied after " + outcome.waitedMillis() + " ms; it is "
                + GateResponse.of(outcome).status());
        this.outcome = outcome;
    }

    VersionGate.Outcome outcome() {
        return outcome;
    }
}
