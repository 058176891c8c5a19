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
            // Mask the message as it will be printed: format it (printf or MessageFormat, whatever the logger used),
            // mask that, and keep it as a message that needs no more formatting. Masking only the format and the
            // string parameters would miss a secret in any other parameter (a URI, a config object); and
            // ExtLogRecord.setMessage(String) switches the record to MessageFormat style, which printed every
            // printf-style line (infof/warnf: most framework lines) as its bare format, "%s" and all.
            String formatted = ext.getFormattedMessage();
            if (formatted != null) {
                String masked = Secrets.mask(formatted);
                if (!masked.equals(formatted)) {
                    ext.setMessage(masked, ExtLogRecord.FormatStyle.NO_FORMAT);
                    ext.setParameters(null);
                }
            }
        } else if (record.getMessage() != null) {
            Object[] parameters = record.getParameters();
            if (parameters != null) {
                for (int i = 0; i < parameters.length; i++) {
                    if (parameters[i] instanceof CharSequence text) {
                        parameters[i] = Secrets.mask(text.toString());
                    }
                }
            }
            record.setMessage(Secrets.mask(record.getMessage()));
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
