package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.diff.Hazard;
import dev.mellon.migrator.folder.SqlScanner;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hazards of one SQL statement as written, for plans of migrations that exist only as SQL (hand-written or
 * generated earlier): the same hazard codes the diff engine gives for its own steps, judged from the statement's
 * words, and the tables it touches, so the plan can show their sizes. A heuristic by nature: it reads the statement's
 * text outside comments, never runs it.
 */
final class SqlHazards {

    private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)";
    private static final String QUALIFIED = NAME + "(?:\\s*\\.\\s*" + NAME + ")?";

    private static final List<Pattern> TABLE_REFERENCES = List.of(
            Pattern.compile("^ALTER\\s+TABLE\\s+(?:ONLY\\s+)?(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?(" + QUALIFIED + ")", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^CREATE\\s+(?:UNIQUE\\s+)?INDEX\\b.*?\\bON\\s+(?:ONLY\\s+)?(" + QUALIFIED + ")", Pattern.CASE_INSENSITIVE | Pattern.DOTALL),
            Pattern.compile("^DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(" + QUALIFIED + ")", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^TRUNCATE\\s+(?:TABLE\\s+)?(?:ONLY\\s+)?(" + QUALIFIED + ")", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^INSERT\\s+INTO\\s+(" + QUALIFIED + ")", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^UPDATE\\s+(?:ONLY\\s+)?(" + QUALIFIED + ")", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^DELETE\\s+FROM\\s+(?:ONLY\\s+)?(" + QUALIFIED + ")", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\bREFERENCES\\s+(" + QUALIFIED + ")", Pattern.CASE_INSENSITIVE));

    private SqlHazards() {
    }

    /** What one statement risks; {@code object} names the first table it touches, or the statement's head. */
    static List<Hazard> of(String statement) {
        String text = SqlScanner.stripLeadingComments(statement).strip();
        String head = text.replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        List<String> tables = tables(statement);
        String object = tables.isEmpty() ? SqlScanner.firstLine(statement) : tables.get(0);
        List<Hazard> hazards = new ArrayList<>();
        if (head.startsWith("DROP TABLE") || head.startsWith("TRUNCATE") || head.startsWith("DELETE FROM")) {
            hazards.add(new Hazard(Hazard.Code.DELETES_DATA, object, "Rows of " + object + " are deleted"));
        }
        if (head.startsWith("DROP SCHEMA")) {
            hazards.add(new Hazard(Hazard.Code.DELETES_DATA, object, "Objects in the dropped schema are lost"));
        }
        if ((head.startsWith("DROP ") || head.startsWith("ALTER TABLE")) && head.contains(" CASCADE")) {
            hazards.add(new Hazard(Hazard.Code.DROPS_DEPENDENCY, object, "CASCADE also drops objects that depend on it"));
        }
        if (head.startsWith("ALTER TABLE")) {
            alterTable(head, object, hazards);
        }
        if (head.matches("^CREATE (UNIQUE )?INDEX (?!CONCURRENTLY).*")) {
            hazards.add(new Hazard(Hazard.Code.BLOCKS_WRITES_WHILE_INDEXING, object,
                    "Writes to " + object + " wait while the index is built; CREATE INDEX CONCURRENTLY avoids it"));
        }
        if (head.startsWith("CREATE UNIQUE INDEX")) {
            hazards.add(new Hazard(Hazard.Code.MAY_FAIL_ON_EXISTING_ROWS, object, "Fails on duplicate rows in " + object));
        }
        if (dev.mellon.migrator.folder.StatementKinds.refusedInTransaction(statement)) {
            hazards.add(new Hazard(Hazard.Code.NOT_TRANSACTIONAL, object,
                    "Runs outside a transaction: a failure can leave it half done (an INVALID index)"));
        }
        if (head.matches("^(GRANT|REVOKE|CREATE POLICY|ALTER POLICY|DROP POLICY)\\b.*")
                || head.contains("ROW LEVEL SECURITY")) {
            hazards.add(new Hazard(Hazard.Code.CHANGES_ACCESS, object, "Changes who may read or write which rows"));
        }
        return hazards;
    }

    private static void alterTable(String head, String object, List<Hazard> hazards) {
        boolean notValid = head.contains(" NOT VALID");
        if (head.contains(" DROP COLUMN ")) {
            hazards.add(new Hazard(Hazard.Code.DELETES_DATA, object, "A dropped column's values are deleted"));
        }
        if (head.matches(".* ALTER (COLUMN )?\\S+ (SET DATA )?TYPE .*")) {
            hazards.add(new Hazard(Hazard.Code.REWRITES_TABLE, object,
                    "Changing a column's type usually rewrites " + object + " under an ACCESS EXCLUSIVE lock"));
            hazards.add(new Hazard(Hazard.Code.MAY_FAIL_ON_EXISTING_ROWS, object, "Fails if existing values do not cast"));
        }
        if (head.contains(" SET NOT NULL")) {
            hazards.add(new Hazard(Hazard.Code.MAY_FAIL_ON_EXISTING_ROWS, object, "SET NOT NULL fails if the column holds NULLs"));
        }
        if (head.matches(".* ADD (COLUMN )?.*\\bNOT NULL\\b.*") && !head.contains(" DEFAULT ") && !head.contains("ADD CONSTRAINT")) {
            hazards.add(new Hazard(Hazard.Code.MAY_FAIL_ON_EXISTING_ROWS, object,
                    "Adding a NOT NULL column without a default fails if " + object + " has rows"));
        }
        if (head.contains(" ADD CONSTRAINT") && !notValid
                && (head.contains(" FOREIGN KEY") || head.contains(" CHECK "))) {
            hazards.add(new Hazard(Hazard.Code.MAY_FAIL_ON_EXISTING_ROWS, object,
                    "The constraint is checked against every row now; NOT VALID then VALIDATE CONSTRAINT avoids the long lock"));
        }
        if (head.contains(" ADD CONSTRAINT") && (head.contains(" UNIQUE") || head.contains(" PRIMARY KEY"))
                && !head.contains(" USING INDEX")) {
            hazards.add(new Hazard(Hazard.Code.MAY_FAIL_ON_EXISTING_ROWS, object, "Fails on duplicate (or NULL) keys"));
            hazards.add(new Hazard(Hazard.Code.BLOCKS_WRITES_WHILE_INDEXING, object,
                    "The constraint's index is built while the table is locked"));
        }
        boolean lightLock = head.contains(" VALIDATE CONSTRAINT") || notValid && head.contains(" FOREIGN KEY");
        if (!lightLock) {
            hazards.add(new Hazard(Hazard.Code.ACCESS_EXCLUSIVE_LOCK, object,
                    "ALTER TABLE takes an ACCESS EXCLUSIVE lock on " + object + ": queries wait behind it (lockTimeout bounds the wait)"));
        }
    }

    /** The tables a statement names as its target or as a referenced table, as written, in order, once each. */
    static List<String> tables(String statement) {
        String text = SqlScanner.stripLeadingComments(statement).strip();
        Set<String> tables = new LinkedHashSet<>();
        for (Pattern pattern : TABLE_REFERENCES) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                tables.add(m.group(1).replaceAll("\\s+", ""));
            }
        }
        return new ArrayList<>(tables);
    }
}
