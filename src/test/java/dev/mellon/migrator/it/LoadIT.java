package dev.mellon.migrator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.ServiceProcess;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrency and load against the packaged service. CI runs the short sizes; {@code .ci/faults} runs the long ones
 * ({@code load.rounds=300}, {@code load.seconds=60}).
 */
class LoadIT {

    private static final int ROUNDS = Integer.getInteger("load.rounds", 8);
    private static final int SECONDS = Integer.getInteger("load.seconds", 5);
    private static final int CLIENTS = 30;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void threeInstancesAndThirtyClientsApplyAGrowingFolderExactlyOnce(@TempDir Path dir) throws Exception {
        FolderBuilder builder = new FolderBuilder(dir).migration("log", "CREATE TABLE applied_log (tag text NOT NULL);");
        Path folder = builder.write();
        long started = System.nanoTime();
        try (TestDatabase database = TestDatabase.create("mellon_load");
             ServiceProcess a = ServiceProcess.start(database.database(), folder);
             ServiceProcess b = ServiceProcess.start(database.database(), folder);
             ServiceProcess c = ServiceProcess.start(database.database(), folder)) {
            List<ServiceProcess> instances = List.of(a, b, c);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            for (int round = 1; round <= ROUNDS; round++) {
                // The folder grows between rounds, as a deploy adds migrations.
                builder.migration("r" + round, "CREATE TABLE r" + round + " (id int);",
                        "INSERT INTO applied_log VALUES ('r" + round + "');");
                builder.write();
                Set<String> allTags = new HashSet<>();
                for (int i = 0; i <= round; i++) {
                    allTags.add(builder.tag(i));
                }
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> replies = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    ServiceProcess target = instances.get(client % instances.size());
                    replies.add(pool.submit(() -> {
                        go.await();
                        return target.post("/migrations/apply", "{\"wait\": \"PT2M\"}");
                    }));
                }
                go.countDown();
                int appliedThisRound = 0;
                for (Future<HttpResponse<String>> future : replies) {
                    HttpResponse<String> reply = future.get(5, TimeUnit.MINUTES);
                    statuses.merge(reply.statusCode(), 1, Integer::sum);
                    assertEquals(200, reply.statusCode(), "round " + round + ": " + reply.body());
                    JsonNode body = json.readTree(reply.body());
                    Set<String> accounted = new HashSet<>();
                    body.get("applied").forEach(m -> accounted.add(m.get("tag").asText()));
                    appliedThisRound += body.get("applied").size();
                    body.get("alreadyApplied").forEach(t -> accounted.add(t.asText()));
                    assertEquals(allTags, accounted, "round " + round + ": every reply accounts for every migration");
                }
                assertEquals(round == 1 ? 2 : 1, appliedThisRound, "round " + round + ": the new migration ran exactly once");
            }
            pool.shutdown();
            try (Connection connection = database.database().connect()) {
                assertEquals(ROUNDS, Catalog.count(connection, "select count(*) from applied_log"));
                assertEquals(ROUNDS, Catalog.count(connection, "select count(distinct tag) from applied_log"));
                assertEquals(ROUNDS + 1, Catalog.trackingRows(connection).size());
            }
            System.out.printf("LoadIT: %d rounds x %d clients on 3 instances in %d s, statuses %s%n", ROUNDS, CLIENTS,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), statuses);
        }
    }

    @Test
    void sustainedReadLoadGivesNoErrorsAndNoMemoryGrowth(@TempDir Path dir) throws Exception {
        FolderBuilder builder = new FolderBuilder(dir);
        for (int i = 0; i < 40; i++) {
            builder.migration("m" + i, "CREATE TABLE m" + i + " (id int);", "CREATE INDEX m" + i + "_id ON m" + i + " (id);");
        }
        Path folder = builder.writeFirst(30);
        try (TestDatabase database = TestDatabase.create("mellon_readload");
             ServiceProcess service = ServiceProcess.start(database.database(), folder)) {
            assertEquals(200, service.post("/migrations/apply", null).statusCode());
            builder.write();
            long pid = service.process().pid();
            run(service, Math.max(2, SECONDS / 5));
            long heapBefore = heapAfterFullGc(pid);
            long rssBefore = rssKb(pid);
            Load load = run(service, SECONDS);
            long heapAfter = heapAfterFullGc(pid);
            long rssAfter = rssKb(pid);
            System.out.printf("LoadIT: %d s of reads, %d requests (%.0f/s), %d errors; RSS %d -> %d MiB; heap after GC %d -> %d MiB%n",
                    SECONDS, load.requests(), load.requests() / (double) SECONDS, load.errors(), rssBefore / 1024, rssAfter / 1024,
                    heapBefore / 1024, heapAfter / 1024);
            assertEquals(0, load.errors(), load.firstError());
            assertTrue(load.requests() > 0);
            // Live data after a full GC must not grow with the number of requests served.
            assertTrue(heapAfter - heapBefore < 16 * 1024, "heap after GC grew from " + heapBefore + " KiB to " + heapAfter + " KiB");
        }
    }

    private record Load(long requests, long errors, String firstError) {
    }

    /** Eight loopback clients alternating GET /migrations/pending and GET /migrations for {@code seconds}. */
    private static Load run(ServiceProcess service, int seconds) throws Exception {
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        String[] firstError = {""};
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            int offset = t;
            pool.submit(() -> {
                int i = offset;
                while (System.nanoTime() < deadline) {
                    HttpResponse<String> reply = service.get(i++ % 2 == 0 ? "/migrations/pending" : "/migrations");
                    requests.incrementAndGet();
                    if (reply.statusCode() != 200) {
                        synchronized (firstError) {
                            if (errors.getAndIncrement() == 0) {
                                firstError[0] = reply.statusCode() + " " + reply.body();
                            }
                        }
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(seconds + 120L, TimeUnit.SECONDS));
        return new Load(requests.get(), errors.get(), firstError[0]);
    }

    private static long rssKb(long pid) throws IOException {
        Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The service's used heap in KiB right after a full GC, from {@code jcmd}, which ships with the JDK running the tests. */
    private static long heapAfterFullGc(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        exec(jcmd, Long.toString(pid), "GC.run");
        String info = exec(jcmd, Long.toString(pid), "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String exec(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
