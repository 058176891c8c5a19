package dev.mellon.migrator.web;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** A request field holding an ISO-8601 duration between zero and a configured cap: {@code wait}, the timeouts. */
public final class DurationField {

    private DurationField() {
    }

    /** The {@code wait} of apply and push, at most {@code migrator.lock-wait-max}. */
    public static Duration lockWait(String wait, Duration defaultWait, Duration max) {
        return parse("wait", wait, defaultWait, max, "migrator.lock-wait-max");
    }

    /**
     * @param value        the field's text, or {@code null} for {@code defaultValue}
     * @param capSetting   the setting that raises the cap, for the message
     */
    public static Duration parse(String field, String value, Duration defaultValue, Duration max, String capSetting) {
        if (value == null) {
            return defaultValue;
        }
        Duration parsed;
        try {
            parsed = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field, "\"" + value + "\" is not an ISO-8601 duration such as PT30S");
        }
        if (parsed.isNegative()) {
            throw new InvalidRequestException(field, "The " + field + " must not be negative: " + value);
        }
        if (dev.mellon.migrator.engine.apply.ApplyOptions.Timeouts.belowOneMillisecond(parsed)) {
            throw new InvalidRequestException(field, "The " + field + " " + value + " is below 1 ms, which PostgreSQL would "
                    + "read as no limit at all; use PT0S for none or at least PT0.001S");
        }
        if (parsed.compareTo(max) > 0) {
            throw new InvalidRequestException(field, "The " + field + " " + value + " is longer than this service allows ("
                    + max + ", " + capSetting + ")");
        }
        return parsed;
    }
}
