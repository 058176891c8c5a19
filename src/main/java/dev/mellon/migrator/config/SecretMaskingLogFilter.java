package dev.mellon.migrator.config;

import io.quarkus.logging.LoggingFilter;

import org.jboss.logmanager.ExtLogRecord;

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
        if (record instanceof ExtLogRecord ext) {
            // Mask the message as it will be printed (format and parameters applied), then print it as it is.
            String formatted = ext.getFormattedMessage();
            String masked = Secrets.mask(formatted);
            if (formatted != null && !formatted.equals(masked)) {
                ext.setMessage(masked, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        } else if (record.getMessage() != null) {
            record.setMessage(Secrets.mask(record.getMessage()));
        }
        Throwable thrown = record.getThrown();
        if (thrown != null && thrown.getMessage() != null && !thrown.getMessage().equals(Secrets.mask(thrown.getMessage()))) {
            // A throwable's message cannot be changed: keep its class and masked message, and the stack of where it came from.
            record.setThrown(new MaskedThrowable(thrown));
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
