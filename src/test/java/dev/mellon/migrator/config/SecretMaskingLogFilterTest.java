package dev.mellon.migrator.config;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The console filter masks secrets without breaking how a record's message is formatted. */
class SecretMaskingLogFilterTest {

    private final SecretMaskingLogFilter filter = new SecretMaskingLogFilter();

    @Test
    void printfStyleRecordsStayFormatted() {
        // JBoss Logging's infof/warnf: before the fix every such line reached the console as its bare format ("%s").
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "started in %ss against %s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {"1.25", "postgresql://app:hunter2@db/shop"});
        filter.isLoggable(record);
        assertEquals("started in 1.25s against postgresql://app:***@db/shop", record.getFormattedMessage());
    }

    @Test
    void aSecretInThePrintfFormatItselfIsMaskedAndTheRestFormatted() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "connecting to postgresql://app:hunter2@db/shop as %s",
                ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {"app"});
        filter.isLoggable(record);
        assertEquals("connecting to postgresql://app:***@db/shop as app", record.getFormattedMessage());
    }

    @Test
    void aSecretInAParameterThatIsNoStringIsMaskedOnceFormatted() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "datasource %s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {java.net.URI.create("postgresql://app:hunter2@db/shop")});
        filter.isLoggable(record);
        assertEquals("datasource postgresql://app:***@db/shop", record.getFormattedMessage());
    }

    @Test
    void messageFormatRecordsStayFormatted() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "pool {0} of {1}", ExtLogRecord.FormatStyle.MESSAGE_FORMAT, "test");
        record.setParameters(new Object[] {"3", "16"});
        filter.isLoggable(record);
        assertEquals("pool 3 of 16", record.getFormattedMessage());
    }
}
