package dev.mellon.migrator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.ServiceProcess;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line of the packaged jar ({@code java -jar quarkus-run.jar <command>}) run as a process against a real
 * database: what it prints, its JSON, its exit codes and its reading of {@code .env}.
 */
class CliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }

        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dquarkus.analytics.disabled=true", "-jar",
                ServiceProcess.jar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static Process start(Path workingDirectory, Map<String, String> env, Path out, Path err, String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(args)).directory(workingDirectory.toFile());
        builder.environment().keySet().removeIf(k -> k.equals("DATABASE_URL") || k.startsWith("MIGRATOR_") || k.startsWith("QUARKUS_"));
        builder.environment().putAll(env);
        builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return builder.start();
    }

    private static Run run(Path workingDirectory, Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        try {
            Process process = start(workingDirectory, env, out, err, args);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("The command did not end in 120 s: " + String.join(" ", args));
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Run run(Path workingDirectory, String... args) throws Exception {
        return run(workingDirectory, Map.of(), args);
    }

    private static String[] with(String url, Path folder, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--database-url", url, "--folder", folder.toString()));
        return all.toArray(String[]::new);
    }

    private static long count(TestDatabase.Database db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Path twoTables(Path dir) {
        return new FolderBuilder(dir.resolve("drizzle"))
                .migration("create_a", "CREATE TABLE a (id int primary key);", "INSERT INTO a VALUES (1);")
                .migration("create_b", "CREATE TABLE b (id int primary key);")
                .write();
    }

    @Test
    void appliesReportsStatusAndPrintsTheRestJson(@TempDir Path dir) throws Exception {
        Path folder = twoTables(dir);
        try (TestDatabase database = TestDatabase.create("mellon_cli")) {
            String url = database.database().postgresUrl();

            Run status = run(dir, with(url, folder, "status"));
            assertEquals(0, status.exit(), status.toString());
            assertTrue(status.out().contains("pending  0000_create_a"), status.toString());
            assertTrue(status.out().contains("2 migrations: 0 applied, 2 pending"), status.toString());

            Run pending = run(dir, with(url, folder, "pending", "--json"));
            assertEquals(0, pending.exit(), pending.toString());
            assertEquals(2, pending.json().get("count").asInt());

            Run dryRun = run(dir, with(url, folder, "apply", "--dry-run"));
            assertEquals(0, dryRun.exit(), dryRun.toString());
            assertTrue(dryRun.out().contains("would apply  0000_create_a"), dryRun.toString());
            assertEquals(0, count(database.database(), "select count(*) from pg_tables where tablename in ('a', 'b')"));

            Run apply = run(dir, with(url, folder, "apply", "--json", "--transaction", "each", "--source", "ci/cli-test"));
            assertEquals(0, apply.exit(), apply.toString());
            JsonNode reply = apply.json();
            assertEquals("applied", reply.get("outcome").asText());
            assertEquals(2, reply.get("applied").size());
            assertEquals("0000_create_a", reply.get("applied").get(0).get("tag").asText());
            assertEquals("each", reply.get("transaction").asText());
            assertEquals(2, count(database.database(), "select count(*) from drizzle.__drizzle_migrations"));
            assertEquals(1, count(database.database(),
                    "select count(distinct run_id) from drizzle.__mellon_migrator_audit where request_source = 'ci/cli-test'"));

            Run again = run(dir, with(url, folder, "apply"));
            assertEquals(0, again.exit(), again.toString());
            assertTrue(again.out().contains("up-to-date"), again.toString());
            assertTrue(again.out().contains("already applied  2"), again.toString());

            Run history = run(dir, with(url, folder, "status", "--json"));
            assertEquals(0, history.exit(), history.toString());
            assertEquals(2, history.json().get("counts").get("applied").asInt());
            assertEquals("\"drizzle\".\"__drizzle_migrations\"", history.json().get("trackingTable").asText());
        }
    }

    /** The upgrade to drizzle 1.0 from the command line: a dry run changes nothing, then table and folder move. */
    @Test
    void upUpgradesTableAndFolderForDrizzle10(@TempDir Path dir) throws Exception {
        FolderBuilder builder = new FolderBuilder(dir.resolve("drizzle"))
                .migration("create_a", "CREATE TABLE a (id int primary key);")
                .migration("create_b", "CREATE TABLE b (id int primary key);");
        Path folder = builder.write();
        try (TestDatabase database = TestDatabase.create("mellon_cli_up")) {
            String url = database.database().postgresUrl();
            assertEquals(0, run(dir, with(url, folder, "apply")).exit());

            Run dryRun = run(dir, with(url, folder, "up", "--dry-run"));
            assertEquals(0, dryRun.exit(), dryRun.toString());
            assertTrue(dryRun.out().contains("would move 0000_create_a -> " + builder.directory(0) + "/"), dryRun.toString());
            assertTrue(Files.exists(folder.resolve("meta/_journal.json")));

            Run up = run(dir, with(url, folder, "up", "--json"));
            assertEquals(0, up.exit(), up.toString());
            assertEquals("directories", up.json().get("formatAfter").asText());
            assertEquals(2, up.json().get("table").get("renames").size());
            assertTrue(Files.isRegularFile(folder.resolve(builder.directory(1)).resolve("migration.sql")));

            Run status = run(dir, with(url, folder, "status", "--json"));
            assertEquals(0, status.exit(), status.toString());
            assertEquals("directories", status.json().get("folderFormat").asText());
            assertEquals(2, status.json().get("counts").get("applied").asInt());
            assertEquals(2, count(database.database(), "select count(*) from drizzle.__drizzle_migrations where name is not null"));
        }
    }

    @Test
    void checkNeedsNoDatabase(@TempDir Path dir) throws Exception {
        Path folder = copyExample(dir);
        Run check = run(dir, "check", "--folder", folder.toString());
        assertEquals(0, check.exit(), check.toString());
        assertTrue(check.out().contains("ok: 0 errors"), check.toString());

        Run json = run(dir, "check", "--json", "--folder", folder.toString());
        assertEquals(0, json.exit(), json.toString());
        assertTrue(json.json().get("ok").asBoolean(), json.toString());

        Files.delete(folder.resolve("0001_add_new_column.sql"));
        Run broken = run(dir, "check", "--folder", folder.toString());
        assertEquals(1, broken.exit(), broken.toString());
        assertTrue(broken.out().contains("0001_add_new_column"), broken.toString());
    }

    @Test
    void badUsageIsExitTwo(@TempDir Path dir) throws Exception {
        Path folder = twoTables(dir);
        Run unknownCommand = run(dir, "frobnicate");
        assertEquals(2, unknownCommand.exit(), unknownCommand.toString());

        Run unknownOption = run(dir, "status", "--no-such-option");
        assertEquals(2, unknownOption.exit(), unknownOption.toString());

        Run noDatabase = run(dir, "status", "--folder", folder.toString());
        assertEquals(2, noDatabase.exit(), noDatabase.toString());
        assertTrue(noDatabase.err().contains("DATABASE_URL is not set"), noDatabase.toString());
        assertEquals(1, noDatabase.err().strip().lines().count(), "one readable line: " + noDatabase);

        Run malformed = run(dir, "status", "--database-url", "mysql://app:hunter2@db/shop", "--folder", folder.toString());
        assertEquals(2, malformed.exit(), malformed.toString());
        assertTrue(malformed.err().contains("Invalid DATABASE_URL"), malformed.toString());
        assertFalse(malformed.err().contains("hunter2"), malformed.toString());

        try (TestDatabase database = TestDatabase.create("mellon_cli_usage")) {
            String url = database.database().postgresUrl();
            Run badMode = run(dir, with(url, folder, "apply", "--transaction", "sometimes"));
            assertEquals(2, badMode.exit(), badMode.toString());
            assertTrue(badMode.err().startsWith("error: Invalid request"), badMode.toString());

            Run badWait = run(dir, with(url, folder, "apply", "--json", "--wait", "soon"));
            assertEquals(2, badWait.exit(), badWait.toString());
            assertEquals("https://mellon-migrator.dev/problems/invalid-request", badWait.json().get("type").asText(), badWait.toString());
            assertEquals(400, badWait.json().get("status").asInt());
            assertEquals(0, count(database.database(), "select count(*) from pg_tables where tablename in ('a', 'b')"));
        }
    }

    @Test
    void driftIsExitThree(@TempDir Path dir) throws Exception {
        Path folder = copyExample(dir);
        try (TestDatabase database = TestDatabase.create("mellon_cli_drift")) {
            String url = database.database().postgresUrl();
            Run apply = run(dir, with(url, folder, "apply"));
            assertEquals(0, apply.exit(), apply.toString());

            Run inSync = run(dir, with(url, folder, "diff"));
            assertEquals(0, inSync.exit(), inSync.toString());
            assertTrue(inSync.out().contains("in sync"), inSync.toString());

            try (Connection c = database.database().connect(); Statement st = c.createStatement()) {
                st.execute("ALTER TABLE users ADD COLUMN extra integer");
            }
            Run drift = run(dir, with(url, folder, "diff"));
            assertEquals(3, drift.exit(), drift.toString());
            assertTrue(drift.out().contains("public.users.extra"), drift.toString());
            assertTrue(drift.out().contains("DROP COLUMN \"extra\""), drift.toString());

            Run json = run(dir, with(url, folder, "diff", "--json"));
            assertEquals(3, json.exit(), json.toString());
            assertFalse(json.json().get("inSync").asBoolean());
            assertEquals("public.users.extra", json.json().get("differences").get(0).get("name").asText());

            Run mermaid = run(dir, with(url, folder, "schema", "--format", "mermaid"));
            assertEquals(0, mermaid.exit(), mermaid.toString());
            assertTrue(mermaid.out().startsWith("erDiagram"), mermaid.toString());
        }
    }

    @Test
    void generatesIntoTheFolderThenPushesWithDataLossRefusedUntilAccepted(@TempDir Path dir) throws Exception {
        Path folder = copyExample(dir);
        try (TestDatabase database = TestDatabase.create("mellon_cli_generate");
             TestDatabase pushed = TestDatabase.create("mellon_cli_push")) {
            String url = database.database().postgresUrl();
            Run history = run(dir, with(url, folder, "schema", "--format", "sql", "--source", "migrations"));
            assertEquals(0, history.exit(), history.toString());
            Path desired = dir.resolve("desired.sql");
            Files.writeString(desired, history.out() + "\nCREATE TABLE audit_notes (id integer PRIMARY KEY, note text);\n");

            Run generated = run(dir, with(url, folder, "generate", "--schema", desired.toString(), "--name", "audit_notes"));
            assertEquals(0, generated.exit(), generated.toString());
            assertTrue(generated.out().contains("generated 0002_audit_notes (1 statement)"), generated.toString());
            assertTrue(Files.readString(folder.resolve("0002_audit_notes.sql")).startsWith("CREATE TABLE \"audit_notes\""));
            assertTrue(Files.exists(folder.resolve("meta/0002_snapshot.json")));
            assertEquals(3, JSON.readTree(folder.resolve("meta/_journal.json").toFile()).get("entries").size());

            Run again = run(dir, with(url, folder, "generate", "--schema", desired.toString(), "--json"));
            assertEquals(0, again.exit(), again.toString());
            assertEquals(0, again.json().get("migrations").size(), again.toString());

            Run apply = run(dir, with(url, folder, "apply"));
            assertEquals(0, apply.exit(), apply.toString());
            assertTrue(apply.err().contains("ran 0002_audit_notes"), "a progress line per migration: " + apply);
            assertEquals(1, count(database.database(), "select count(*) from pg_tables where tablename = 'audit_notes'"));

            String pushUrl = pushed.database().postgresUrl();
            Run push = run(dir, with(pushUrl, folder, "push", "--schema", desired.toString()));
            assertEquals(0, push.exit(), push.toString());
            assertTrue(push.out().contains("pushed: "), push.toString());
            assertEquals(1, count(pushed.database(), "select count(*) from pg_tables where tablename = 'audit_notes'"));

            Files.writeString(desired, history.out());
            Run refused = run(dir, with(pushUrl, folder, "push", "--schema", desired.toString()));
            assertEquals(5, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("--accept-data-loss") || refused.err().contains("acceptDataLoss"), refused.toString());
            assertEquals(1, count(pushed.database(), "select count(*) from pg_tables where tablename = 'audit_notes'"));

            Run accepted = run(dir, with(pushUrl, folder, "push", "--schema", desired.toString(), "--accept-data-loss", "--json"));
            assertEquals(0, accepted.exit(), accepted.toString());
            assertTrue(accepted.json().get("executed").asBoolean(), accepted.toString());
            assertEquals(0, count(pushed.database(), "select count(*) from pg_tables where tablename = 'audit_notes'"));
        }
    }

    @Test
    void aChangedFileIsRefusedWithExitFive(@TempDir Path dir) throws Exception {
        Path folder = twoTables(dir);
        try (TestDatabase database = TestDatabase.create("mellon_cli_changed")) {
            String url = database.database().postgresUrl();
            assertEquals(0, run(dir, with(url, folder, "apply")).exit());
            Files.writeString(folder.resolve("0000_create_a.sql"), "\n-- edited after it ran", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);

            Run refused = run(dir, with(url, folder, "apply"));
            assertEquals(5, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("0000_create_a"), refused.toString());
            assertTrue(refused.err().contains("--allow-changed"), refused.toString());

            Run json = run(dir, with(url, folder, "apply", "--json"));
            assertEquals(5, json.exit(), json.toString());
            assertEquals("https://mellon-migrator.dev/problems/migration-changed", json.json().get("type").asText());
            assertEquals(409, json.json().get("status").asInt());
            assertEquals("allowChanged", json.json().get("allowWith").asText());

            Run allowed = run(dir, with(url, folder, "apply", "--allow-changed"));
            assertEquals(0, allowed.exit(), allowed.toString());
        }
    }

    @Test
    void aLockHeldByAnotherRunIsExitFour(@TempDir Path dir) throws Exception {
        Path folder = new FolderBuilder(dir.resolve("drizzle")).migration("slow", "SELECT pg_sleep(20);").write();
        try (TestDatabase database = TestDatabase.create("mellon_cli_lock")) {
            String url = database.database().postgresUrl();
            Path out = Files.createTempFile(dir, "first", ".out");
            Path err = Files.createTempFile(dir, "first", ".err");
            Process first = start(dir, Map.of(), out, err, with(url, folder, "apply"));
            try {
                long deadline = System.currentTimeMillis() + 60_000;
                while (count(database.database(),
                        "select count(*) from pg_stat_activity where application_name like 'mellon-migrator applying%'") == 0) {
                    assertTrue(first.isAlive(), () -> "the first apply ended early: " + read(out) + read(err));
                    assertTrue(System.currentTimeMillis() < deadline, "the first apply never took the lock");
                    Thread.sleep(100);
                }
                Run second = run(dir, with(url, folder, "apply", "--wait", "PT1S", "--json"));
                assertEquals(4, second.exit(), second.toString());
                assertEquals("https://mellon-migrator.dev/problems/lock-timeout", second.json().get("type").asText());

                Run human = run(dir, with(url, folder, "apply", "--wait", "PT0.5S"));
                assertEquals(4, human.exit(), human.toString());
                assertTrue(human.err().contains("lock"), human.toString());
            } finally {
                assertTrue(first.waitFor(60, TimeUnit.SECONDS));
            }
            assertEquals(0, first.exitValue(), read(out) + read(err));
            assertEquals(1, count(database.database(), "select count(*) from drizzle.__drizzle_migrations"));
        }
    }

    @Test
    void readsDotEnvAsDrizzleKitDoesAndRealVariablesWin(@TempDir Path dir) throws Exception {
        Path folder = twoTables(dir);
        try (TestDatabase database = TestDatabase.create("mellon_cli_env")) {
            String url = database.database().postgresUrl();
            Files.writeString(dir.resolve(".env"), String.join("\n",
                    "# the project's settings, as drizzle.config.ts reads them",
                    "DATABASE_URL=\"" + url + "\" # quoted, with a comment",
                    "",
                    "export MIGRATOR_FOLDER='" + folder + "'",
                    "UNRELATED=value with spaces  "), StandardCharsets.UTF_8);

            Run apply = run(dir, "apply", "--json");
            assertEquals(0, apply.exit(), apply.toString());
            assertEquals(2, apply.json().get("applied").size());

            Map<String, String> env = new HashMap<>();
            env.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/nowhere");
            Run realWins = run(dir, env, "status");
            assertEquals(1, realWins.exit(), realWins.toString());
            assertTrue(realWins.err().startsWith("error: Database unavailable"), realWins.toString());

            Run optionWins = run(dir, env, "status", "--database-url", url);
            assertEquals(0, optionWins.exit(), optionWins.toString());
            assertTrue(optionWins.out().contains("2 applied"), optionWins.toString());
        }
    }

    private static Path copyExample(Path dir) throws IOException {
        Path source = Path.of("drizzle").toAbsolutePath();
        Path target = dir.resolve("drizzle");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return target;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
