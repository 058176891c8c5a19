package dev.mellon.migrator.engine.sandbox;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Who asked for the sandbox work running on this thread, for the log lines that record refused and failed
 * statements. The REST layer and the command line name the caller around each use case they call; work started by
 * nobody in particular (start-up, a background sweep) is the service's own.
 */
public final class Requester {

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private Requester() {
    }

    /** Runs {@code work} on behalf of {@code who} (a token's name, {@code cli}, …). */
    public static <T> T onBehalfOf(String who, Supplier<T> work) {
        try {
            return call(who, work::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same for work that may throw checked exceptions (an intercepted method). */
    public static <T> T call(String who, Callable<T> work) throws Exception {
        String outer = CURRENT.get();
        CURRENT.set(who);
        try {
            return work.call();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The caller of the work on this thread, or {@code service} when none was named. */
    public static String current() {
        String who = CURRENT.get();
        return who == null ? "service" : who;
    }
}
