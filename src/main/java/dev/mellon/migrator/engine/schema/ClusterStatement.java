package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.folder.SqlScanner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A statement of a history whose effect reaches past its database: roles and their memberships, the server's
 * settings, databases, tablespaces, ownership moved between roles. Such a statement never runs in a sandbox (the
 * sandbox role could not run it, and must not); replay records it and says whether the target's catalog shows it.
 *
 * @param kind     what it touches
 * @param action   {@code create}, {@code alter}, {@code drop}, {@code grant}, {@code revoke} or {@code other}
 * @param roles    the roles it names as its subject (created, dropped, granted), where it names any
 * @param members  the roles a membership grant or revoke is for
 */
public record ClusterStatement(Kind kind, String action, List<String> roles, List<String> members) {

    public enum Kind { ROLE, MEMBERSHIP, SERVER_SETTING, DATABASE, TABLESPACE, OWNERSHIP, COMMENT }

    private static final Set<String> ROLE_WORDS = Set.of("ROLE", "USER", "GROUP");
    private static final Set<String> CLUSTER_OBJECTS = Set.of("ROLE", "DATABASE", "TABLESPACE");

    /** What {@code statement} touches past its database, or empty when it stays inside it. */
    public static Optional<ClusterStatement> of(String statement) {
        List<SqlScanner.Token> tokens = SqlScanner.tokens(statement).stream().filter(t -> t.depth() == 0).toList();
        List<String> words = SqlScanner.topLevelWords(statement);
        if (words.isEmpty()) {
            return Optional.empty();
        }
        String first = words.get(0);
        String second = words.size() > 1 ? words.get(1) : "";
        switch (first) {
            case "CREATE", "ALTER", "DROP" -> {
                String action = first.toLowerCase(Locale.ROOT);
                if (ROLE_WORDS.contains(second)) {
                    return Optional.of(new ClusterStatement(Kind.ROLE, action, names(tokens, 2, true), List.of()));
                }
                if (second.equals("DATABASE")) {
                    return Optional.of(new ClusterStatement(Kind.DATABASE, action, List.of(), List.of()));
                }
                if (second.equals("TABLESPACE")) {
                    return Optional.of(new ClusterStatement(Kind.TABLESPACE, action, List.of(), List.of()));
                }
                if (first.equals("ALTER") && second.equals("SYSTEM")) {
                    return Optional.of(new ClusterStatement(Kind.SERVER_SETTING, "alter", List.of(), List.of()));
                }
                if (first.equals("DROP") && second.equals("OWNED")) {
                    return Optional.of(new ClusterStatement(Kind.OWNERSHIP, "drop", List.of(), List.of()));
                }
                return Optional.empty();
            }
            case "GRANT", "REVOKE" -> {
                // GRANT SELECT ON t TO r changes one table's privileges (inside the database); GRANT r TO m makes m a
                // member of r, cluster-wide.
                if (words.contains("ON")) {
                    return Optional.empty();
                }
                String action = first.toLowerCase(Locale.ROOT);
                int split = indexOfWord(tokens, first.equals("GRANT") ? "TO" : "FROM");
                List<String> granted = split < 0 ? List.of() : namesBetween(tokens, 1, split);
                List<String> members = split < 0 ? List.of() : names(tokens, split + 1, false);
                return Optional.of(new ClusterStatement(Kind.MEMBERSHIP, action, granted, members));
            }
            case "REASSIGN" -> {
                return Optional.of(new ClusterStatement(Kind.OWNERSHIP, "other", List.of(), List.of()));
            }
            case "COMMENT", "SECURITY" -> {
                int on = words.indexOf("ON");
                if (on >= 0 && on + 1 < words.size() && CLUSTER_OBJECTS.contains(words.get(on + 1))) {
                    return Optional.of(new ClusterStatement(Kind.COMMENT, "other", List.of(), List.of()));
                }
                return Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static int indexOfWord(List<SqlScanner.Token> tokens, String word) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).kind() == SqlScanner.Token.Kind.WORD && tokens.get(i).text().equalsIgnoreCase(word)) {
                return i;
            }
        }
        return -1;
    }

    /** The comma-separated names from token {@code from} on, up to the first other word (WITH, IN, …). */
    private static List<String> names(List<SqlScanner.Token> tokens, int from, boolean skipIfExists) {
        int i = from;
        if (skipIfExists && i + 1 < tokens.size() && tokens.get(i).text().equalsIgnoreCase("IF")
                && tokens.get(i + 1).text().equalsIgnoreCase("EXISTS")) {
            i += 2;
        }
        List<String> out = new ArrayList<>();
        boolean expectName = true;
        for (; i < tokens.size(); i++) {
            SqlScanner.Token t = tokens.get(i);
            if (expectName && (t.kind() == SqlScanner.Token.Kind.WORD || t.kind() == SqlScanner.Token.Kind.QUOTED_IDENTIFIER)) {
                out.add(t.name());
                expectName = false;
            } else if (!expectName && t.text().equals(",")) {
                expectName = true;
            } else {
                break;
            }
        }
        return List.copyOf(out);
    }

    private static List<String> namesBetween(List<SqlScanner.Token> tokens, int from, int to) {
        return names(tokens.subList(0, to), from, false);
    }
}
