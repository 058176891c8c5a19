import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a seeded synthetic Drizzle migration folder for the benchmark: N migrations of five statements each
 * (CREATE TABLE with 6 to 10 columns, CREATE INDEX, ADD COLUMN, ADD FOREIGN KEY, a small INSERT), in drizzle-kit's
 * format, plus all.sql with the same statements for psql.
 *
 * <p>Usage: {@code java bench/GenerateFolder.java <out-dir> [migrations=1000] [seed=42]}
 */
public class GenerateFolder {

    private static final String[] TYPES = {"integer", "bigint", "text", "varchar(255)", "boolean", "timestamp", "numeric(12, 2)", "jsonb"};
    private static final String BREAK = "--> statement-breakpoint\n";

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42L;
        Random random = new Random(seed);
        Files.createDirectories(out.resolve("meta"));
        StringBuilder journal = new StringBuilder("{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"entries\": [");
        StringBuilder all = new StringBuilder();
        long when = 1_700_000_000_000L;
        for (int i = 0; i < count; i++) {
            String table = "t" + i;
            List<String> statements = new ArrayList<>();
            int columns = 6 + random.nextInt(5);
            StringBuilder create = new StringBuilder("CREATE TABLE \"" + table + "\" (\n\t\"id\" bigint PRIMARY KEY NOT NULL,\n\t\"ref_id\" bigint");
            List<String> names = new ArrayList<>();
            for (int c = 2; c < columns; c++) {
                String type = TYPES[random.nextInt(TYPES.length)];
                String name = "c" + c;
                names.add(name);
                create.append(",\n\t\"").append(name).append("\" ").append(type);
            }
            create.append("\n);\n");
            statements.add(create.toString());
            statements.add("CREATE INDEX \"" + table + "_ref_idx\" ON \"" + table + "\" USING btree (\"ref_id\");");
            statements.add("ALTER TABLE \"" + table + "\" ADD COLUMN \"note\" varchar(" + (16 + random.nextInt(240)) + ");");
            statements.add(i == 0
                    ? "ALTER TABLE \"" + table + "\" ADD CONSTRAINT \"" + table + "_self_fk\" FOREIGN KEY (\"ref_id\") REFERENCES \"public\".\"" + table + "\"(\"id\") ON DELETE no action ON UPDATE no action;"
                    : "ALTER TABLE \"" + table + "\" ADD CONSTRAINT \"" + table + "_ref_id_t" + (i - 1) + "_id_fk\" FOREIGN KEY (\"ref_id\") REFERENCES \"public\".\"t" + (i - 1) + "\"(\"id\") ON DELETE cascade ON UPDATE no action;");
            statements.add("INSERT INTO \"" + table + "\" (\"id\", \"ref_id\", \"note\") VALUES (1, " + (i == 0 ? "NULL" : "1") + ", 'seed " + random.nextInt(1000) + "'), (2, NULL, 'second');");
            String tag = String.format("%04d_bench_%d", i, i);
            String sql = String.join(BREAK, statements);
            Files.writeString(out.resolve(tag + ".sql"), sql, StandardCharsets.UTF_8);
            for (String statement : statements) {
                all.append(statement).append('\n');
            }
            when += 1000 + random.nextInt(100_000);
            journal.append(i == 0 ? "\n" : ",\n").append("    {\n      \"idx\": ").append(i)
                    .append(",\n      \"version\": \"7\",\n      \"when\": ").append(when)
                    .append(",\n      \"tag\": \"").append(tag).append("\",\n      \"breakpoints\": true\n    }");
        }
        journal.append("\n  ]\n}");
        Files.writeString(out.resolve("meta/_journal.json"), journal.toString(), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("all.sql"), all.toString(), StandardCharsets.UTF_8);
        System.out.println("wrote " + count + " migrations to " + out);
    }
}
