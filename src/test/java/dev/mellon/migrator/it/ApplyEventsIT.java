package dev.mellon.migrator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.ServiceProcess;
import dev.mellon.migrator.testing.TestDatabase;
import dev.mellon.migrator.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /migrations/apply with Accept: text/event-stream: live progress in order, and a client that leaves changes nothing. */
class ApplyEventsIT {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void eventsArriveInOrderAndADisconnectingClientDoesNotStopTheApply(@TempDir Path dir) throws Exception {
        FolderBuilder builder = new FolderBuilder(dir)
                .migration("one", "CREATE TABLE one (id int);", "INSERT INTO one VALUES (1);")
                .migration("two", "CREATE INDEX CONCURRENTLY one_id ON one (id);");
        Path folder = builder.write();
        try (TestDatabase database = TestDatabase.create("mellon_events");
             ServiceProcess service = ServiceProcess.start(database.database(), folder)) {
            List<String> events = new ArrayList<>();
            List<JsonNode> data = new ArrayList<>();
            try (Socket socket = open(service, "{}"); BufferedReader in = reader(socket)) {
                String name = null;
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("data:") && name != null) {
                        events.add(name);
                        data.add(json.readTree(line.substring(5).strip()));
                        if (name.equals("finished") || name.equals("failed")) {
                            break;
                        }
                    }
                }
            }
            assertEquals(List.of("lock-acquired", "migration-started", "statement", "statement", "migration-done",
                    "migration-started", "statement", "migration-done", "finished"), events, data.toString());
            assertEquals("no-transaction", data.get(5).get("mode").asText());
            assertEquals(2, data.get(3).get("statement").asInt());
            assertEquals("applied", data.get(8).get("outcome").asText());

            // A second history: the client reads the first event and leaves; the apply runs to its end regardless.
            builder.migration("slow", "SELECT pg_sleep(2);", "CREATE TABLE after_sleep (id int);").write();
            try (Socket socket = open(service, "{}"); BufferedReader in = reader(socket)) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("event:")) {
                        break;
                    }
                }
            }
            long deadline = System.currentTimeMillis() + 30_000;
            try (Connection c = database.database().connect()) {
                while (Catalog.trackingRows(c).size() < 3) {
                    assertTrue(System.currentTimeMillis() < deadline, "the apply did not finish after the client left");
                    Thread.sleep(100);
                }
                assertTrue(Catalog.exists(c, "public.after_sleep"));
            }
        }
    }

    @Test
    void underLockContentionTheStreamStartsCleanlyAndItsEventsCarryOnlyNamesAndData(@TempDir Path dir) throws Exception {
        Path folder = new FolderBuilder(dir).migration("slow", "SELECT pg_sleep(3);", "CREATE TABLE after_sleep (id int);").write();
        try (TestDatabase database = TestDatabase.create("mellon_events_busy");
             ServiceProcess service = ServiceProcess.start(database.database(), folder)) {
            Thread holder = new Thread(() -> service.post("/migrations/apply", "{}"));
            holder.start();
            try (Connection c = database.database().connect()) {
                long deadline = System.currentTimeMillis() + 20_000;
                while (Catalog.count(c, "select count(*) from pg_stat_activity where query like '%pg_sleep(3)%'"
                        + " and pid <> pg_backend_pid()") == 0) {
                    assertTrue(System.currentTimeMillis() < deadline, "the first apply did not start");
                    Thread.sleep(50);
                }
            }
            List<String> lines = new ArrayList<>();
            try (Socket socket = open(service, "{}"); BufferedReader in = reader(socket)) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    if (line.startsWith("event:") && (line.contains("finished") || line.contains("failed"))) {
                        lines.add(in.readLine());
                        break;
                    }
                }
            }
            holder.join(30_000);
            List<String> fields = lines.stream().dropWhile(l -> !l.isEmpty()).filter(l -> !l.isEmpty()).toList();
            List<String> names = fields.stream().filter(l -> l.startsWith("event:")).map(l -> l.substring(6).strip()).toList();
            assertEquals("lock-waiting", names.get(0), lines.toString());
            assertEquals("finished", names.get(names.size() - 1), lines.toString());
            for (String field : fields) {
                assertTrue(field.startsWith("event:") || field.startsWith("data:") || field.startsWith(":")
                        || field.matches("^[0-9a-fA-F]+$"), "only names, data and comments in the stream: " + field);
            }
            assertFalse(service.output().contains("IllegalStateException"), service.output());
            assertFalse(service.output().contains("has already been written"), service.output());
        }
    }

    /** A raw HTTP/1.1 request, so the test can read the stream line by line and hang up whenever it likes. */
    private static Socket open(ServiceProcess service, String body) throws Exception {
        URI uri = URI.create(service.url());
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /migrations/apply HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                + "Content-Type: application/json\r\nAuthorization: " + TestTokens.bearer(TestTokens.ADMIN) + "\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }

    private static BufferedReader reader(Socket socket) throws Exception {
        socket.setSoTimeout(60_000);
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }
}
