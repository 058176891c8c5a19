package dev.mellon.migrator.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * drizzle-kit's {@code schemaFilter} / {@code tablesFilter}: glob patterns ({@code *}, {@code ?}, {@code [abc]},
 * {@code {a,b}}) where a leading {@code !} excludes. A name passes when it matches some positive pattern (or there is
 * none) and no negative one.
 */
public final class NameFilter {

    private final List<Pattern> include;
    private final List<Pattern> exclude;

    private NameFilter(List<Pattern> include, List<Pattern> exclude) {
        this.include = include;
        this.exclude = exclude;
    }

    public static NameFilter all() {
        return new NameFilter(List.of(), List.of());
    }

    /** Parses the patterns; an {@link IllegalArgumentException} names the one that is not a valid glob. */
    public static NameFilter of(List<String> patterns) {
        List<Pattern> include = new ArrayList<>();
        List<Pattern> exclude = new ArrayList<>();
        for (String raw : patterns) {
            String pattern = raw.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            boolean negated = pattern.startsWith("!");
            (negated ? exclude : include).add(compile(negated ? pattern.substring(1) : pattern, raw));
        }
        return new NameFilter(List.copyOf(include), List.copyOf(exclude));
    }

    public boolean matches(String name) {
        boolean included = include.isEmpty() || include.stream().anyMatch(p -> p.matcher(name).matches());
        return included && exclude.stream().noneMatch(p -> p.matcher(name).matches());
    }

    private static Pattern compile(String glob, String raw) {
        StringBuilder regex = new StringBuilder();
        int braces = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int close = glob.indexOf(']', i + 2);
                    if (close < 0) {
                        throw new IllegalArgumentException("\"" + raw + "\" is not a valid glob: unclosed '['");
                    }
                    String body = glob.substring(i + 1, close);
                    if (body.startsWith("!")) {
                        body = "^" + body.substring(1);
                    }
                    regex.append('[').append(body.replace("\\", "\\\\")).append(']');
                    i = close;
                }
                case '{' -> {
                    braces++;
                    regex.append("(?:");
                }
                case '}' -> {
                    if (braces == 0) {
                        throw new IllegalArgumentException("\"" + raw + "\" is not a valid glob: unmatched '}'");
                    }
                    braces--;
                    regex.append(')');
                }
                case ',' -> regex.append(braces > 0 ? "|" : ",");
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (braces != 0) {
            throw new IllegalArgumentException("\"" + raw + "\" is not a valid glob: unclosed '{'");
        }
        return Pattern.compile(regex.toString());
    }
}
