package dev.mellon.migrator.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (node and npm, {@code ../shared}). On a developer's machine a missing
 * prerequisite skips the test; under {@code CI=true} it fails it, so CI can never go green by skipping the interop and
 * corpus tests it is there to run.
 */
public final class Prerequisites {

    private Prerequisites() {
    }

    public static boolean strict() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean("tests.strict");
    }

    public static void require(boolean available, String what) {
        if (available) {
            return;
        }
        if (strict()) {
            throw new AssertionError(what + " (CI=true: a missing prerequisite fails the test instead of skipping it)");
        }
        Assumptions.assumeTrue(false, what + "; skipping");
    }
}
