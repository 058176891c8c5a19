package dev.mellon.migrator.testing;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real drizzle-orm migrator from npm, installed once into {@code target/drizzle-orm}, for interoperability tests.
 * Skips the calling test when node or npm is missing.
 */
public final class DrizzleOrm {

    /** The versions the compatibility spec was checked against. */
    public static final String DRIZZLE_ORM = "drizzle-orm@0.45.4";
    public static final String PG = "pg@8.23.1";
    public static final String DRIZZLE_KIT = "drizzle-kit@0.31.11";

    private static final Path HOME = Path.of("target", "drizzle-orm").toAbsolutePath();

    private static final String SCRIPT = """
            import { drizzle } from 'drizzle-orm/node-postgres';
            import { migrate } from 'drizzle-orm/node-postgres/migrator';
            import pg from 'pg';
            const [url, folder] = process.argv.slice(2);
            const pool = new pg.Pool({ connectionString: url, max: 1 });
            try {
              await migrate(drizzle(pool), { migrationsFolder: folder });
            } finally {
              await pool.end();
            }
            """;

    private DrizzleOrm() {
    }

    /** Runs drizzle-orm's {@code migrate()} on {@code folder} against the database. */
    public static void migrate(TestDatabase.Database db, Path folder) throws IOException, InterruptedException {
        Path script = install();
        String output = run(List.of("node", script.toString(), db.postgresUrl(), folder.toAbsolutePath().toString()), HOME, 300);
        System.out.println("[drizzle-orm] " + output);
    }

    private static synchronized Path install() throws IOException, InterruptedException {
        Prerequisites.require(available("node") && available("npm"), "node or npm is not installed, which the drizzle-orm interop tests need");
        Files.createDirectories(HOME);
        Path script = HOME.resolve("migrate.mjs");
        Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        if (!Files.isDirectory(HOME.resolve("node_modules/drizzle-orm")) || !Files.isDirectory(HOME.resolve("node_modules/pg"))
                || !Files.isDirectory(HOME.resolve("node_modules/drizzle-kit"))) {
            Files.writeString(HOME.resolve("package.json"), "{\"name\":\"drizzle-interop\",\"private\":true,\"type\":\"module\"}");
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", DRIZZLE_ORM, PG, DRIZZLE_KIT), HOME, 600);
        }
        return script;
    }

    /**
     * Runs {@code drizzle-kit pull} against the database for the given schemas and returns the snapshot it wrote
     * ({@code meta/0000_snapshot.json}).
     */
    public static String pull(TestDatabase.Database db, List<String> schemas, Path workDir) throws IOException, InterruptedException {
        install();
        Files.createDirectories(workDir);
        String config = "export default { dialect: 'postgresql', out: './pulled', schemaFilter: ["
                + String.join(", ", schemas.stream().map(s -> "'" + s + "'").toList())
                + "], dbCredentials: { url: '" + db.postgresUrl() + "' } };\n";
        Path configFile = workDir.resolve("drizzle.config.mjs");
        Files.writeString(configFile, config, StandardCharsets.UTF_8);
        String output = run(List.of(HOME.resolve("node_modules/.bin/drizzle-kit").toString(), "pull", "--config", configFile.toString()),
                workDir, 300);
        String[] lines = output.strip().split("\n");
        System.out.println("[drizzle-kit pull] " + lines[lines.length - 1]);
        return Files.readString(workDir.resolve("pulled/meta/0000_snapshot.json"), StandardCharsets.UTF_8);
    }

    /**
     * A drizzle-kit project in {@code dir}, as a user has one: {@code package.json}, {@code drizzle.config.ts}
     * (dialect postgresql, schema {@code ./schema.ts}, out {@code ./drizzle}), the given {@code schema.ts}, and
     * {@code node_modules} linked to the installed packages.
     */
    public static Path kitProject(Path dir, String schemaTs) throws IOException, InterruptedException {
        install();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("package.json"), "{\"name\":\"drizzle-kit-project\",\"private\":true}\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("drizzle.config.ts"), """
                import { defineConfig } from 'drizzle-kit';
                export default defineConfig({ dialect: 'postgresql', schema: './schema.ts', out: './drizzle' });
                """, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("schema.ts"), schemaTs, StandardCharsets.UTF_8);
        Files.createSymbolicLink(dir.resolve("node_modules"), HOME.resolve("node_modules"));
        return dir;
    }

    /** Runs the drizzle-kit CLI in a {@link #kitProject} and returns what it printed; a non-zero exit fails. */
    public static String kit(Path project, String... args) throws IOException, InterruptedException {
        install();
        List<String> command = new java.util.ArrayList<>();
        command.add(HOME.resolve("node_modules/.bin/drizzle-kit").toString());
        command.addAll(List.of(args));
        String output = run(command, project, 120);
        System.out.println("[drizzle-kit " + String.join(" ", args) + "] " + output.strip().replace("\n", "\n    "));
        return output;
    }

    /**
     * The snapshot drizzle-kit generate builds from the project's {@code schema.ts}: {@code generateDrizzleJson} of
     * {@code drizzle-kit/api} on the module's exports, loaded through tsx as drizzle-kit loads schema files.
     */
    public static String drizzleJson(Path project) throws IOException, InterruptedException {
        install();
        Path script = project.resolve("snapshot.cjs");
        try (var in = DrizzleOrm.class.getResourceAsStream("/drizzle-kit/snapshot.cjs")) {
            if (in == null) {
                throw new IllegalStateException("drizzle-kit/snapshot.cjs is missing from the test resources");
            }
            Files.write(script, in.readAllBytes());
        }
        Path out = project.resolve("snapshot.json");
        run(List.of("node", script.toString(), project.resolve("schema.ts").toString(), out.toString()), project, 120);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static boolean available(String command) {
        try {
            return run(List.of(command, "--version"), Path.of("."), 30) != null;
        } catch (Exception e) {
            return false;
        }
    }

    private static String run(List<String> command, Path dir, int timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " exited with " + process.exitValue() + ":\n" + text);
        }
        return text;
    }
}
