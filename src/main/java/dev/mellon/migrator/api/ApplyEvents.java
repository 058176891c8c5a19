package dev.mellon.migrator.api;

import dev.mellon.migrator.web.ProblemDocuments;
import dev.mellon.migrator.web.ApplyResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.web.security.Disclosure;
import dev.mellon.migrator.engine.apply.ApplyListener;
import dev.mellon.migrator.engine.apply.ApplyResult;
import dev.mellon.migrator.engine.core.ExecutionMode;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
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
    private CompletableFuture<Object> sent = CompletableFuture.completedFuture(null);

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

    /**
     * Opens the stream on the request's own thread, with a comment line, before the apply starts on another: the
     * stream's response head is then written once, here, and no event of the apply can race it.
     */
    void open() {
        chain(sse.newEventBuilder().comment("apply accepted").build());
    }

    /** Runs the apply, then sends {@code finished} with its answer or {@code failed} with its problem, and closes. */
    void run(Supplier<ApplyResult> apply) {
        try {
            ApplyResult result = apply.get();
            send("finished", ApplyResponse.of(result, (System.nanoTime() - started) / 1_000_000));
        } catch (RuntimeException e) {
            send("failed", ProblemDocuments.of(e, disclosure));
        } finally {
            sent.whenComplete((ignored, failure) -> {
                try {
                    sink.close();
                } catch (RuntimeException e) {
                    // Already closed by the client.
                }
            });
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
        try {
            // No media type on the event: the stream's data are JSON text, and a typed event adds a content-type line.
            chain(sse.newEventBuilder().name(name).data(String.class, json.writeValueAsString(data)).build());
        } catch (JsonProcessingException e) {
            // Our own records always serialise; nothing to send otherwise.
        }
    }

    /** Sends {@code event} after the one before it has gone out, so events keep their order and never overlap. */
    private synchronized void chain(OutboundSseEvent event) {
        sent = sent.handle((ignored, failure) -> null).thenCompose(ignored -> {
            if (sink.isClosed()) {
                return CompletableFuture.completedFuture(null);
            }
            try {
                return sink.send(event).toCompletableFuture().handle((done, failure) -> null);
            } catch (RuntimeException e) {
                // The client went away: the apply goes on without an audience.
                return CompletableFuture.completedFuture(null);
            }
        });
    }
}
