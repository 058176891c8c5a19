package dev.mellon.migrator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code .env} file read as drizzle-kit projects read it (the {@code dotenv} package): {@code KEY=value} lines,
 * an optional {@code export }, values in single, double or back quotes (double quotes expand {@code \n} and
 * {@code \r}; quoted values may span lines), {@code #} comments on their own line or after a value, surrounding
 * blanks trimmed. The caller lets real environment variables win, as dotenv does.
 */
public final class DotEnv {

    // dotenv's own expression (lib/main.js), in Java's syntax.
    private static final Pattern LINE = Pattern.compile(
            "(?:^|^)\\s*(?:export\\s+)?([\\w.-]+)(?:\\s*=\\s*?|:\\s+?)(\\s*'(?:\\\\'|[^'])*'|\\s*\"(?:\\\\\"|[^\"])*\"|\\s*`(?:\\\\`|[^`])*`|[^#\\r\\n]+)?\\s*(?:#.*)?(?:$|$)",
            Pattern.MULTILINE);

    private DotEnv() {
    }

    /** The variables in {@code file}, or none when it does not exist or cannot be read. */
    public static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | java.io.UncheckedIOException e) {
            return Map.of();
        }
    }

    public static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        String lines = text.replace("\r\n", "\n").replace('\r', '\n');
        Matcher m = LINE.matcher(lines);
        while (m.find()) {
            String key = m.group(1);
            String value = m.group(2) == null ? "" : m.group(2).strip();
            char first = value.isEmpty() ? 0 : value.charAt(0);
            if (value.length() >= 2 && (first == '\'' || first == '"' || first == '`') && value.charAt(value.length() - 1) == first) {
                value = value.substring(1, value.length() - 1);
                if (first == '"') {
                    value = value.replace("\\n", "\n").replace("\\r", "\r");
                }
            }
            values.put(key, value);
        }
        return values;
    }
}
