package dev.mellon.migrator.folder;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** New tags in each of drizzle-kit's prefix styles, and never one a folder already has. */
class TagStyleTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void eachStyleWritesItsPrefix() {
        assertEquals("0003_add", TagStyle.INDEX.tag(3, NOW, "add"));
        assertEquals("20261207120000_add", TagStyle.TIMESTAMP.tag(3, NOW, "add"));
        assertEquals(NOW.getEpochSecond() + "_add", TagStyle.UNIX.tag(3, NOW, "add"));
    }

    @Test
    void aTagTheFolderHasMovesToTheNextFreeSecond() {
        // An entry generated in the same second (or the entry a rebase moves) already has the tag of now.
        String taken = NOW.getEpochSecond() + "_add";
        String next = (NOW.getEpochSecond() + 1) + "_add";
        assertEquals((NOW.getEpochSecond() + 2) + "_add", TagStyle.UNIX.freeTag(3, NOW, "add", List.of(taken, next)));
        assertEquals("20261207120001_add", TagStyle.TIMESTAMP.freeTag(3, NOW, "add", List.of("20261207120000_add")));
        assertEquals("0003_add", TagStyle.INDEX.freeTag(3, NOW, "add", List.of("0002_add")));
    }

    @Test
    void aSecondAnotherEntryUsesIsTakenWhateverItsName() {
        // The snapshot is named after the prefix alone: 1796684078_a and 1796684078_b would share one snapshot file.
        String other = NOW.getEpochSecond() + "_other";
        assertEquals((NOW.getEpochSecond() + 1) + "_add", TagStyle.UNIX.freeTag(3, NOW, "add", List.of(other)));
        assertEquals("20261207120001_add", TagStyle.TIMESTAMP.freeTag(3, NOW, "add", List.of("20261207120000_other")));
    }
}
