package dev.mellon.migrator.schema;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NameFilterTest {

    @Test
    void globsWithNegationLikeDrizzleKit() {
        NameFilter filter = NameFilter.of(List.of("*", "!posts"));
        assertTrue(filter.matches("users"));
        assertFalse(filter.matches("posts"));
        NameFilter only = NameFilter.of(List.of("user_*", "{a,b}_log", "t?", "[xy]z"));
        assertTrue(only.matches("user_roles"));
        assertTrue(only.matches("b_log"));
        assertTrue(only.matches("t1"));
        assertTrue(only.matches("yz"));
        assertFalse(only.matches("users"));
        assertTrue(NameFilter.of(List.of("!secret")).matches("anything"));
    }

    @Test
    void invalidGlobsAreRefusedWithThePattern() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NameFilter.of(List.of("[abc")));
        assertTrue(e.getMessage().contains("[abc"));
        assertThrows(IllegalArgumentException.class, () -> NameFilter.of(List.of("{a,b")));
        assertThrows(IllegalArgumentException.class, () -> NameFilter.of(List.of("a}")));
    }
}
