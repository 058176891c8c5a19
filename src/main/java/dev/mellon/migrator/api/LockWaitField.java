package dev.mellon.migrator.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** The {@code wait} field of apply and push requests: an ISO-8601 duration between zero and the configured cap. */
final class LockWaitField {

    private LockWaitField() {
    }

    static Duration parse(String wait, Duration defaultWait, Duration max) {
        if (wait == null) {
            return defaultWait;
        }
        Duration parsed;
        try {
            parsed = Duration.parse(wait);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("wait", "\"" + wait + "\" is not an ISO-8601 duration such as PT30S");
        }
        if (parsed.isNegative()) {
            throw new InvalidRequestException("wait", "The wait must not be negative: " + wait);
        }
        if (parsed.compareTo(max) > 0) {
            throw new InvalidRequestException("wait", "The wait " + wait + " is longer than this service allows ("
                    + max + ", migrator.lock-wait-max); retry later instead of waiting longer");
        }
        return parsed;
    }
}
