package dev.mellon.migrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own, in a temporary directory, for tests that stop, restart or crash the server
 * (which they must never do to the shared one). Uses the binaries in {@code postgres.bin} (default
 * {@code /usr/lib/postgresql/15/bin}); as root (CI containers) every server command runs through
 * {@code runuser -u postgres --}, since PostgreSQL refuses to run as root. Trust authentication, {@code fsync=off},
 * listening on 127.0.0.1 on a free port with its unix socket in the temporary directory. {@link #close()} stops it
 * and removes everything.
 */
public final class PrivatePostgres implements AutoCloseable {

    public static final Path BIN = Path.of(System.getProperty("postgres.bin", "/usr/lib/postgresql/15/bin"));
    private static final String OS_USER = "postgres";

    private final Path dir;
    private final Path data;
    private final Path log;
    private final int port;
    private boolean running;

    private PrivatePostgres(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.log = dir.resolve("server.log");
        this.port = port;
    }

    /** Whether the binaries are there (and, as root, {@code runuser} and a {@code postgres} user to run them). */
    public static boolean available() {
        boolean binaries = Stream.of("initdb", "pg_ctl", "postgres").allMatch(b -> Files.isExecutable(BIN.resolve(b)));
        if (!binaries) {
            return false;
        }
        return !isRoot() || (Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser")))
                && run(List.of("id", "-u", OS_USER), 10, false).exitCode == 0;
    }

    public static String description() {
        return "PostgreSQL binaries in " + BIN + (isRoot() ? " (and runuser with a '" + OS_USER + "' user, as we run as root)" : "");
    }

    /** Creates a cluster with initdb; it is not running until {@link #start()}. */
    public static PrivatePostgres create() {
        Path dir;
        try {
            dir = Files.createTempDirectory("mellon-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrivatePostgres pg = new PrivatePostgres(dir, freePort());
        try {
            if (isRoot()) {
                check(run(List.of("chown", "-R", OS_USER + ":", dir.toString()), 30, true), "chown");
            }
            check(pg.asOwner("initdb", "-D", pg.data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                    "--locale=C", "--no-sync"), "initdb");
            String settings = "\n# PrivatePostgres\nport = " + pg.port + "\nlisten_addresses = '127.0.0.1'\n"
                    + "unix_socket_directories = '" + dir + "'\nfsync = off\nsynchronous_commit = off\n"
                    + "full_page_writes = off\nmax_connections = 50\nshared_buffers = 16MB\n";
            Files.writeString(pg.data.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            pg.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        return pg;
    }

    /** Creates and starts a cluster. */
    public static PrivatePostgres started() {
        PrivatePostgres pg = create();
        try {
            pg.start();
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    public synchronized void start() {
        check(asOwner("pg_ctl", "-D", data.toString(), "-l", log.toString(), "-w", "-t", "60", "start"), "pg_ctl start");
        running = true;
    }

    /** {@code pg_ctl stop -m fast}. */
    public synchronized void stop() {
        stop("fast");
    }

    public synchronized void stop(String mode) {
        check(asOwner("pg_ctl", "-D", data.toString(), "-m", mode, "-w", "-t", "60", "stop"), "pg_ctl stop -m " + mode);
        running = false;
    }

    /** {@code pg_ctl restart -m fast|immediate|smart}; waits until the server accepts connections again. */
    public synchronized void restart(String mode) {
        check(asOwner("pg_ctl", "-D", data.toString(), "-l", log.toString(), "-m", mode, "-w", "-t", "60", "restart"),
                "pg_ctl restart -m " + mode);
        running = true;
    }

    public boolean running() {
        return running;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The libpq form ({@code DATABASE_URL}). */
    public String postgresUrl(String database) {
        return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    /** Runs statements on the {@code postgres} database (CREATE DATABASE, ALTER DATABASE, ...). */
    public void execute(String... sql) throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    public String serverLog() {
        try {
            return Files.isRegularFile(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops the server if it runs (immediately: nothing here is worth keeping) and removes the directory. */
    @Override
    public synchronized void close() {
        if (Files.isRegularFile(data.resolve("postmaster.pid"))) {
            asOwner("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "-t", "60", "stop");
        }
        running = false;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort: a temp dir.
                }
            });
        } catch (IOException ignored) {
            // Already gone.
        }
    }

    private Result asOwner(String binary, String... args) {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        command.add(BIN.resolve(binary).toString());
        command.addAll(List.of(args));
        return run(command, 120, true);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private record Result(List<String> command, int exitCode, String output) {
    }

    private static void check(Result result, String what) {
        if (result.exitCode != 0) {
            throw new IllegalStateException(what + " failed (exit " + result.exitCode + "): " + String.join(" ", result.command)
                    + "\n" + result.output);
        }
    }

    private static Result run(List<String> command, int timeoutSeconds, boolean mustStart) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            // pg_ctl's server inherits no pipe of ours (it logs to -l), so reading to the end terminates.
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(command, -1, output + "\n(timed out after " + timeoutSeconds + " s)");
            }
            return new Result(command, p.exitValue(), output);
        } catch (IOException e) {
            if (mustStart) {
                throw new UncheckedIOException("Could not run " + command, e);
            }
            return new Result(command, -1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "PrivatePostgres[port " + port + ", " + dir + "]";
    }
}
