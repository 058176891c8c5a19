package dev.mellon.migrator.config;

import io.quarkus.logging.LoggingFilter;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Rewrites every log record so that no password or bearer token reaches the console, whoever logs it: our code, the
 * driver, the pool or the framework. Installed on the console handler in {@code application.properties}.
 */
@LoggingFilter(name = "mask-secrets")
public final class SecretMaskingLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (message != null) {
            Object[] parameters = record.getParameters();
            if (parameters != null) {
                for (int i = 0; i < parameters.length; i++) {
                    if (parameters[i] instanceof CharSequence text) {
                        parameters[i] = Secrets.mask(text.toString());
                    }
                }
            }
            record.setMessage(Secrets.mask(message));
        }
        Throwable thrown = record.getThrown();
        if (thrown != null && thrown.getMessage() != null && !thrown.getMessage().equals(Secrets.mask(thrown.getMessage()))) {
            // A throwable's message cannot be changed: keep its class and masked message, and the stack of where it came from.
            MaskedThrowable masked = new MaskedThrowable(thrown);
            record.setThrown(masked);
        }
        return true;
    }

    /** Stands in for a throwable whose message carried a secret. */
    static final class MaskedThrowable extends RuntimeException {
        MaskedThrowable(Throwable original) {
            super(original.getClass().getName() + ": " + Secrets.mask(original.getMessage()),
                    original.getCause() == null ? null : new MaskedThrowable(original.getCause()), false, true);
            setStackTrace(original.getStackTrace());
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
