package dev.mellon.migrator.diff;

import java.nio.charset.StandardCharsets;

/** PostgreSQL keeps at most 63 bytes of an identifier (NAMEDATALEN - 1); longer names are cut, silently. */
public final class Identifiers {

    static final int MAX_BYTES = 63;

    private Identifiers() {
    }

    public static String truncate(String identifier) {
        byte[] bytes = identifier.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return identifier;
        }
        int end = MAX_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // never cut inside a multi-byte character
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** {@code schema.name} keys: each part cut on its own. */
    static String truncateQualified(String key) {
        int dot = key.indexOf('.');
        if (dot < 0) {
            return truncate(key);
        }
        return truncate(key.substring(0, dot)) + "." + truncate(key.substring(dot + 1));
    }
}
