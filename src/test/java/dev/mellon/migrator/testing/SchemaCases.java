package dev.mellon.migrator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Acceptance cases in the style of pg-schema-diff's: old DDL, new DDL, the SQL expected from the diff, the hazards
 * expected. A file holds the cases of one object kind:
 *
 * <pre>
 * ### add a nullable column
 * -- old
 * CREATE TABLE t (id int);
 * -- new
 * CREATE TABLE t (id int, name text);
 * -- sql
 * ALTER TABLE "t" ADD COLUMN "name" text;
 * -- hazards
 * none
 * </pre>
 *
 * The {@code sql} section is the migration file text (statements joined by breakpoints); {@code *} skips the
 * check and keeps only the round-trip property. Hazards are codes separated by commas. An optional {@code since}
 * section names the first PostgreSQL major that has the feature, and why: {@code 15 UNIQUE NULLS NOT DISTINCT}.
 */
public record SchemaCases(String file, List<Case> cases) {

    /** @param since the first PostgreSQL major the case can run on (0: any), and {@code sinceReason} why */
    public record Case(String file, String name, String oldDdl, String newDdl, String sql, Set<String> hazards, int since,
                       String sinceReason) {
        @Override
        public String toString() {
            return file + ": " + name;
        }
    }

    public static SchemaCases read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String file = path.getFileName().toString();
        List<Case> cases = new ArrayList<>();
        for (String block : text.split("(?m)^### ")) {
            if (block.isBlank() || block.startsWith("#")) {
                continue;
            }
            int newline = block.indexOf('\n');
            String name = block.substring(0, newline).strip();
            Map<String, StringBuilder> sections = new LinkedHashMap<>();
            StringBuilder current = null;
            for (String line : block.substring(newline + 1).split("\n", -1)) {
                if (line.matches("-- (old|new|sql|hazards|since)\\s*")) {
                    current = new StringBuilder();
                    sections.put(line.substring(3).strip(), current);
                } else if (current != null) {
                    current.append(line).append('\n');
                }
            }
            String hazards = section(sections, "hazards", name);
            Set<String> codes = hazards.equals("none") ? Set.of()
                    : Arrays.stream(hazards.split(",")).map(String::strip).collect(Collectors.toCollection(TreeSet::new));
            String since = sections.containsKey("since") ? section(sections, "since", name) : "0";
            String[] sinceParts = since.split("\\s+", 2);
            cases.add(new Case(file, name, section(sections, "old", name), section(sections, "new", name),
                    section(sections, "sql", name), codes, Integer.parseInt(sinceParts[0]), sinceParts.length > 1 ? sinceParts[1] : ""));
        }
        return new SchemaCases(file, cases);
    }

    private static String section(Map<String, StringBuilder> sections, String key, String name) {
        StringBuilder s = sections.get(key);
        if (s == null) {
            throw new IllegalStateException("Case \"" + name + "\" has no -- " + key + " section");
        }
        return s.toString().strip();
    }
}
