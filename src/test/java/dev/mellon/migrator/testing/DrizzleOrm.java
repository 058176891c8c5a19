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

    /** drizzle 1.0's release candidate, whose migrator reads one directory per migration. */
    public static final String DRIZZLE_ORM_1 = "drizzle-orm@1.0.0-rc.5";
    public static final String DRIZZLE_KIT_1 = "drizzle-kit@1.0.0-rc.5";

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

    private static final Release ZERO = new Release(HOME, List.of(DRIZZLE_ORM, PG, DRIZZLE_KIT), SCRIPT);

    /** drizzle-orm and drizzle-kit 1.0, installed beside the 0.x ones in {@code target/drizzle-orm-1}. */
    public static final Release ONE = new Release(Path.of("target", "drizzle-orm-1").toAbsolutePath(),
            List.of(DRIZZLE_ORM_1, PG, DRIZZLE_KIT_1),
            // 1.0 takes the client in a config object; a bare pool would be read as connection settings.
            SCRIPT.replace("drizzle(pool)", "drizzle({ client: pool })"));

    private DrizzleOrm() {
    }

    /** One installed release of drizzle-orm, pg and drizzle-kit, in its own {@code node_modules}. */
    public static final class Release {
        private final Path home;
        private final List<String> packages;
        private final String script;

        private Release(Path home, List<String> packages, String script) {
            this.home = home;
            this.packages = packages;
            this.script = script;
        }

        /** Runs this release's {@code migrate()} on {@code folder} against the database. */
        public void migrate(TestDatabase.Database db, Path folder) throws IOException, InterruptedException {
            Path script = install();
            String output = run(List.of("node", script.toString(), db.postgresUrl(), folder.toAbsolutePath().toString()), home, 300);
            System.out.println("[" + packages.get(0) + "] " + output);
        }

        synchronized Path install() throws IOException, InterruptedException {
            Prerequisites.require(available("node") && available("npm"), "node or npm is not installed, which the drizzle-orm interop tests need");
            Files.createDirectories(home);
            Path script = home.resolve("migrate.mjs");
            Files.writeString(script, this.script, StandardCharsets.UTF_8);
            if (!Files.isDirectory(home.resolve("node_modules/drizzle-orm")) || !Files.isDirectory(home.resolve("node_modules/pg"))
                    || !Files.isDirectory(home.resolve("node_modules/drizzle-kit"))) {
                Files.writeString(home.resolve("package.json"), "{\"name\":\"drizzle-interop\",\"private\":true,\"type\":\"module\"}");
                List<String> command = new java.util.ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"));
                command.addAll(packages);
                run(command, home, 600);
            }
            return script;
        }

        /**
         * A drizzle-kit project in {@code dir}, as a user has one: {@code package.json}, {@code drizzle.config.ts}
         * (dialect postgresql, schema {@code ./schema.ts}, out {@code ./drizzle}), the given {@code schema.ts}, and
         * {@code node_modules} linked to this release's packages.
         */
        public Path kitProject(Path dir, String schemaTs) throws IOException, InterruptedException {
            install();
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("package.json"), "{\"name\":\"drizzle-kit-project\",\"private\":true}\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("drizzle.config.ts"), """
                    import { defineConfig } from 'drizzle-kit';
                    export default defineConfig({ dialect: 'postgresql', schema: './schema.ts', out: './drizzle' });
                    """, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("schema.ts"), schemaTs, StandardCharsets.UTF_8);
            Files.createSymbolicLink(dir.resolve("node_modules"), home.resolve("node_modules"));
            return dir;
        }

        /** Runs a node script of a {@link #kitProject} with this release's packages; a non-zero exit fails. */
        public String node(Path project, String script, String... args) throws IOException, InterruptedException {
            install();
            List<String> command = new java.util.ArrayList<>(List.of("node", project.resolve(script).toString()));
            command.addAll(List.of(args));
            return run(command, project, 120);
        }

        /** Runs this release's drizzle-kit CLI in a {@link #kitProject} and returns what it printed; a non-zero exit fails. */
        public String kit(Path project, String... args) throws IOException, InterruptedException {
            install();
            List<String> command = new java.util.ArrayList<>();
            command.add(home.resolve("node_modules/.bin/drizzle-kit").toString());
            command.addAll(List.of(args));
            String output = run(command, project, 120);
            System.out.println("[" + packages.get(2) + " " + String.join(" ", args) + "] " + output.strip().replace("\n", "\n    "));
            return output;
        }
    }

    /** Runs drizzle-orm's {@code migrate()} on {@code folder} against the database. */
    public static void migrate(TestDatabase.Database db, Path folder) throws IOException, InterruptedException {
        ZERO.migrate(db, folder);
    }

    private static Path install() throws IOException, InterruptedException {
        return ZERO.install();
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

    /** A 0.x drizzle-kit project: see {@link Release#kitProject}. */
    public static Path kitProject(Path dir, String schemaTs) throws IOException, InterruptedException {
        return ZERO.kitProject(dir, schemaTs);
    }

    /** Runs the 0.x drizzle-kit CLI in a {@link #kitProject} and returns what it printed; a non-zero exit fails. */
    public static String kit(Path project, String... args) throws IOException, InterruptedException {
        return ZERO.kit(project, args);
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
