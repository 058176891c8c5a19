package dev.mellon.migrator.api;

import dev.mellon.migrator.web.InvalidRequestException;

/** Query parameters read strictly: a value that is not what the parameter takes is refused, never read as absent. */
final class QueryParams {

    private QueryParams() {
    }

    /** A positive integer query parameter up to {@code max}, or {@code fallback} when absent. */
    static long number(String name, String value, long fallback, long max) {
        if (value == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidRequestException(name, "\"" + name + "\" must be an integer from 1 to " + max + ", not \"" + value + "\"");
    }

    /** A boolean query parameter: absent is false; anything but true or false is refused rather than read as false. */
    static boolean flag(String name, String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidRequestException(name, "\"" + name + "\" must be true or false, not \"" + value + "\"");
    }
}
