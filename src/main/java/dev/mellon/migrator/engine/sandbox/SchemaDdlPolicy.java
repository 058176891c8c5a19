package dev.mellon.migrator.engine.sandbox;

import dev.mellon.migrator.folder.SqlScanner;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The statements caller text may run in a sandbox: the DDL a schema is made of, nothing else. Transaction control,
 * {@code COPY}, {@code DO}, functions, roles, grants, data statements and session changes beyond a few harmless
 * settings are refused before anything is sent. The role the sandbox runs as is the real boundary; this keeps caller
 * text from even trying what a schema never needs.
 */
public final class SchemaDdlPolicy {

    private static final Set<String> CREATABLE = Set.of("SCHEMA", "TYPE", "DOMAIN", "SEQUENCE", "TABLE", "INDEX", "VIEW",
            "MATERIALIZED", "POLICY", "EXTENSION");
    private static final Set<String> ALTERABLE = Set.of("TABLE", "TYPE", "DOMAIN", "SEQUENCE", "INDEX", "VIEW", "MATERIALIZED",
            "SCHEMA", "POLICY");
    private static final Set<String> DROPPABLE = Set.of("TABLE", "TYPE", "DOMAIN", "SEQUENCE", "INDEX", "VIEW", "MATERIALIZED",
            "SCHEMA", "POLICY", "EXTENSION");
    /** Settings a schema script may set that change how names and text are read, never what a session may do. */
    private static final Set<String> HARMLESS_SETTINGS = Set.of("SEARCH_PATH", "CLIENT_MIN_MESSAGES", "CHECK_FUNCTION_BODIES",
            "DEFAULT_TABLESPACE", "DEFAULT_TABLE_ACCESS_METHOD", "STANDARD_CONFORMING_STRINGS", "CLIENT_ENCODING", "XMLOPTION",
            "ROW_SECURITY", "DEFAULT_WITH_OIDS");
    private static final Set<String> TRANSACTION_CONTROL = Set.of("BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT",
            "SAVEPOINT", "RELEASE", "PREPARE");
    private static final Set<String> CREATE_MODIFIERS = Set.of("TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "UNIQUE",
            "RECURSIVE");

    private SchemaDdlPolicy() {
    }

    /** Why {@code statement} may not run in a sandbox, or empty when it may. */
    public static Optional<String> refusal(String statement) {
        List<String> words = SqlScanner.topLevelWords(statement);
        if (words.isEmpty()) {
            return Optional.of("an empty statement or a bare expression is not schema DDL");
        }
        String first = words.get(0);
        if (TRANSACTION_CONTROL.contains(first)) {
            return Optional.of("transaction control (" + first + ") is refused: the sandbox decides where transactions begin and end");
        }
        return switch (first) {
            case "CREATE" -> create(words);
            case "ALTER" -> kindIn(words, 1, ALTERABLE, "ALTER");
            case "DROP" -> kindIn(words, 1, DROPPABLE, "DROP");
            case "COMMENT" -> words.size() > 1 && words.get(1).equals("ON") ? Optional.empty() : notDdl(words);
            case "SET" -> set(words);
            default -> notDdl(words);
        };
    }

    private static Optional<String> create(List<String> words) {
        int i = 1;
        if (words.size() > 2 && words.get(1).equals("OR") && words.get(2).equals("REPLACE")) {
            i = 3;
        }
        while (i < words.size() && CREATE_MODIFIERS.contains(words.get(i))) {
            i++;
        }
        Optional<String> kind = kindIn(words, i, CREATABLE, "CREATE");
        if (kind.isPresent() || !words.get(i).equals("TABLE")) {
            return kind;
        }
        // CREATE TABLE t AS SELECT … (or … AS EXECUTE) fills the table by running a query.
        if (words.subList(i + 1, words.size()).contains("AS")) {
            return Optional.of("CREATE TABLE … AS runs a query; describe the table's columns instead");
        }
        return Optional.empty();
    }

    private static Optional<String> kindIn(List<String> words, int index, Set<String> allowed, String verb) {
        if (index >= words.size() || !allowed.contains(words.get(index))) {
            return notDdl(words);
        }
        if (words.get(index).equals("MATERIALIZED") && (index + 1 >= words.size() || !words.get(index + 1).equals("VIEW"))) {
            return notDdl(words);
        }
        return Optional.empty();
    }

    private static Optional<String> set(List<String> words) {
        int i = 1;
        if (i < words.size() && (words.get(i).equals("SESSION") || words.get(i).equals("LOCAL"))) {
            i++;
        }
        if (i < words.size() && HARMLESS_SETTINGS.contains(words.get(i))) {
            return Optional.empty();
        }
        return Optional.of("SET " + (i < words.size() ? words.get(i).toLowerCase(java.util.Locale.ROOT) : "")
                + " is refused: a sandbox session keeps its role, timeouts and limits");
    }

    private static Optional<String> notDdl(List<String> words) {
        String shown = String.join(" ", words.subList(0, Math.min(2, words.size())));
        return Optional.of(shown + " is not schema DDL: a sandbox runs only CREATE, ALTER and DROP of schemas, types,"
                + " domains, sequences, tables, indexes, views, policies and extensions, COMMENT ON, and a few harmless SETs");
    }
}
