package dev.mellon.migrator.engine.lock;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalQueueTest {

    private static void awaitWaiting(LocalQueue queue, int count) throws InterruptedException {
        for (int i = 0; i < 200 && queue.waiting() < count; i++) {
            Thread.sleep(10);
        }
        assertEquals(count, queue.waiting());
    }

    @Test
    void theFirstCallerEntersAtOnceWithoutRunningTheBeforeWaitingStep() {
        LocalQueue queue = new LocalQueue(2);
        AtomicInteger noted = new AtomicInteger();
        try (LocalQueue.Turn turn = queue.enter(Duration.ZERO, noted::incrementAndGet).orElseThrow()) {
            assertFalse(turn.waited());
        }
        assertEquals(0, noted.get());
    }

    @Test
    void aWaiterNotesWhatWasPendingGetsTheTurnWhenReleasedAndSaysItWaited() throws Exception {
        LocalQueue queue = new LocalQueue(2);
        AtomicInteger noted = new AtomicInteger();
        LocalQueue.Turn first = queue.enter(Duration.ZERO, () -> { }).orElseThrow();
        CompletableFuture<Optional<LocalQueue.Turn>> second =
                CompletableFuture.supplyAsync(() -> queue.enter(Duration.ofSeconds(10), noted::incrementAndGet));
        awaitWaiting(queue, 1);
        first.close();
        first.close(); // idempotent: a second close must not hand out a second turn
        LocalQueue.Turn turn = second.get(5, TimeUnit.SECONDS).orElseThrow();
        assertTrue(turn.waited());
        assertEquals(1, noted.get());
        assertEquals(0, queue.waiting());
        assertTrue(queue.enter(Duration.ofMillis(50), () -> { }).isEmpty(), "only one turn at a time");
        turn.close();
    }

    @Test
    void aWaitThatRunsOutReturnsNothingAndMoreWaitersThanAllowedAreRefused() throws Exception {
        LocalQueue queue = new LocalQueue(1);
        LocalQueue.Turn holder = queue.enter(Duration.ZERO, () -> { }).orElseThrow();
        assertTrue(queue.enter(Duration.ofMillis(30), () -> { }).isEmpty());
        CompletableFuture<Optional<LocalQueue.Turn>> waiter =
                CompletableFuture.supplyAsync(() -> queue.enter(Duration.ofSeconds(10), () -> { }));
        awaitWaiting(queue, 1);
        TooManyWaitersException refused = assertThrows(TooManyWaitersException.class,
                () -> queue.enter(Duration.ofSeconds(10), () -> { }));
        assertEquals(1, refused.maxWaiters());
        holder.close();
        waiter.get(5, TimeUnit.SECONDS).orElseThrow().close();
    }
}
