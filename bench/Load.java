import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small closed-loop HTTP load generator for the benchmark (wrk is not installed everywhere): {@code clients}
 * threads, each with its own keep-alive connection, send GET requests back to back for {@code seconds} after a
 * warm-up, and the latency of every request is kept.
 *
 * <p>Usage: {@code java bench/Load.java <url> <bearer-token> [clients=8] [warmup-seconds=3] [seconds=10]}
 * <p>Prints one line: {@code requests=N errors=N seconds=S rps=R p50=ms p90=ms p99=ms max=ms}.
 */
public class Load {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String token = args[1];
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        double warmup = args.length > 3 ? Double.parseDouble(args[3]) : 3;
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 10;
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        List<long[]> results = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int[] counts = new int[clients];
        for (int c = 0; c < clients; c++) {
            long[] latencies = new long[4_000_000 / clients];
            results.add(latencies);
            int client = c;
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Thread t = new Thread(() -> {
                int n = 0;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    boolean ok;
                    try {
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        ok = response.statusCode() == 200;
                    } catch (Exception e) {
                        ok = false;
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= measureFrom && t1 <= end) {
                        if (!ok) {
                            errors.incrementAndGet();
                        } else if (n < latencies.length) {
                            latencies[n++] = t1 - t0;
                        }
                    }
                }
                counts[client] = n;
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(results.get(c), 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        System.out.printf("requests=%d errors=%d seconds=%.1f rps=%.0f p50=%.2f p90=%.2f p99=%.2f max=%.2f%n", total, errors.get(),
                seconds, total / seconds, pct(all, 0.50), pct(all, 0.90), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
