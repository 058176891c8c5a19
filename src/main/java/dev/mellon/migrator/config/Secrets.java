package dev.mellon.migrator.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials in text that may reach a log, an error or a {@code toString()}: the password of a
 * {@code postgresql://user:password@host} URL, {@code password=} and {@code sslpassword=} parameters of
 * {@code jdbc:} and libpq URLs and connection strings, and bearer tokens.
 */
public final class Secrets {

    static final String MASK = "***";

    private static final Pattern USER_INFO = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^:/?#@\\s]*:)([^@/?#\\s]*)(@)");
    private static final Pattern PARAMETER = Pattern.compile("(?i)(\\b(?:ssl)?password\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^&;\\s,\"')]+)");
    private static final Pattern BEARER = Pattern.compile("(?i)(\\bbearer\\s+)([A-Za-z0-9._~+/=-]+)");

    /** Words that follow "bearer" in sentences about tokens ("needs a bearer token"): no credential looks like them. */
    private static final java.util.Set<String> PROSE_AFTER_BEARER = java.util.Set.of("token", "tokens", "header", "scheme",
            "authentication", "credential", "credentials", "realm");

    private Secrets() {
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
        masked = PARAMETER.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        return BEARER.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1)
                + (PROSE_AFTER_BEARER.contains(m.group(2).toLowerCase(java.util.Locale.ROOT)) ? m.group(2) : MASK)));
    }
}
