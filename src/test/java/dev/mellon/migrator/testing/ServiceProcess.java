package dev.mellon.migrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) started as a separate process, as it runs in
 * production: for tests that need two instances, or a process to kill.
 */
public final class ServiceProcess implements AutoCloseable {

    /** The SHA-256 of {@link TestTokens#ADMIN}, as an operator would configure it. */
    static final String TOKEN_HASH = "sha256:17d6bfe05d1b1fb7bc499f8e3f639c7b3eda4c40f321eef8887a0c04c89a99c5";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static Path jar() {
        String configured = System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar");
        Path jar = Path.of(configured);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The packaged service " + jar + " is missing: run ./mvnw verify (it packages first)");
        }
        return jar;
    }

    /** Starts the service on a free port against {@code db} and {@code folder}, and waits until it is ready. */
    public static ServiceProcess start(TestDatabase.Database db, Path folder) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", db.postgresUrl());
        env.put("MIGRATOR_FOLDER", folder.toAbsolutePath().toString());
        ServiceProcess service = launch(env);
        service.awaitReadyOrFail();
        return service;
    }

    /** Starts the service with exactly these settings (no DATABASE_URL unless given) and does not wait. */
    public static ServiceProcess launch(Map<String, String> settings) {
        int port = freePort();
        try {
            Path logs = Files.createDirectories(Path.of("target", "it-logs"));
            Path log = logs.resolve("service-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-Dquarkus.analytics.disabled=true", "-jar", jar().toAbsolutePath().toString()));
            builder.environment().remove("DATABASE_URL");
            builder.environment().remove("MIGRATOR_EMBEDDED");
            builder.environment().remove("MIGRATOR_FOLDER");
            if (settings.keySet().stream().noneMatch(k -> k.startsWith("MIGRATOR_AUTH_"))) {
                // Production refuses to start without a token: the tests' client authenticates as this admin.
                builder.environment().put("MIGRATOR_AUTH_TOKENS_IT_HASH", TOKEN_HASH);
                builder.environment().put("MIGRATOR_AUTH_TOKENS_IT_ROLES", "admin");
            }
            // Sandboxes run as this test run's role, which the run drops at its end.
            builder.environment().put("MIGRATOR_SANDBOX_ROLE", TestSandboxes.ROLE);
            builder.environment().putAll(settings);
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            return new ServiceProcess(builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Process process() {
        return process;
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    public void awaitReadyOrFail() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The service exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException("The service did not become ready in 90 s:\n" + output());
    }

    /** {@code kill -9}: no shutdown hook runs, no connection is closed politely. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("The service did not exit within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).GET());
    }

    public HttpResponse<String> post(String path, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path));
        if (jsonBody == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.header("Authorization", TestTokens.bearer(TestTokens.ADMIN)).timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
