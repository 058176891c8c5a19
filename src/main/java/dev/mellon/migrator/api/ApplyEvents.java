package dev.mellon.migrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.api.security.Disclosure;
import dev.mellon.migrator.engine.ApplyListener;
import dev.mellon.migrator.engine.ApplyResult;
import dev.mellon.migrator.engine.ExecutionMode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An apply's progress as server-sent events. Sending never fails the apply: once the client is gone, events are
 * dropped and the apply runs to its end, recorded as always.
 */
final class ApplyEvents implements ApplyListener {

    private final SseEventSink sink;
    private final Sse sse;
    private final ObjectMapper json;
    private final Disclosure disclosure;
    private final long started = System.nanoTime();

    ApplyEvents(SseEventSink sink, Sse sse, ObjectMapper json, boolean internalsVisible) {
        this.sink = sink;
        this.sse = sse;
        this.json = json;
        // Decided on the request's thread: the identity is not available on the apply's own.
        this.disclosure = new Disclosure(null, null) {
            @Override
            public boolean internalsVisible() {
                return internalsVisible;
            }
        };
    }

    /** Runs the apply, then sends {@code finished} with its answer or {@code failed} with its problem, and closes. */
    void run(Supplier<ApplyResult> apply) {
        try {
            ApplyResult result = apply.get();
            send("finished", ApplyResponse.of(result, (System.nanoTime() - started) / 1_000_000));
        } catch (RuntimeException e) {
            send("failed", ProblemDocuments.of(e, disclosure));
        } finally {
            try {
                sink.close();
            } catch (RuntimeException e) {
                // Already closed by the client.
            }
        }
    }

    @Override
    public void lockWaiting() {
        send("lock-waiting", Map.of());
    }

    @Override
    public void lockAcquired(long waitedMillis) {
        send("lock-acquired", Map.of("waitedMillis", waitedMillis));
    }

    @Override
    public void migrationStarted(String tag, ExecutionMode mode, int statements) {
        send("migration-started", Map.of("tag", tag, "mode", mode.wireName(), "statements", statements));
    }

    @Override
    public void statementDone(String tag, int index, int statements) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tag", tag);
        data.put("statement", index);
        data.put("of", statements);
        send("statement", data);
    }

    @Override
    public void migrationDone(String tag, long millis) {
        send("migration-done", Map.of("tag", tag, "millis", millis));
    }

    private void send(String name, Object data) {
        if (sink.isClosed()) {
            return;
        }
        try {
            sink.send(sse.newEventBuilder().name(name).mediaType(MediaType.TEXT_PLAIN_TYPE)
                    .data(String.class, json.writeValueAsString(data)).build());
        } catch (JsonProcessingException | RuntimeException e) {
            // The client went away: the apply goes on without an audience.
        }
    }
}
