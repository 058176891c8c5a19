package dev.mellon.migrator.engine.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process queue in front of the migration lock. Callers of one service instance take turns here, in arrival
 * order, before opening a database session: without it every waiting caller would hold a session of its own just to
 * poll the advisory lock, and twenty CI jobs could use up the database's connections. Only the caller whose turn it
 * is opens a session; the advisory lock still serialises it with other instances.
 */
final class LocalQueue {

    private final Semaphore turn = new Semaphore(1, true);
    private final AtomicInteger waiting = new AtomicInteger();
    private final int maxWaiters;

    /** @param maxWaiters how many callers may wait here at once; one more is refused instead of queued */
    LocalQueue(int maxWaiters) {
        if (maxWaiters < 0) {
            throw new IllegalArgumentException("maxWaiters must not be negative: " + maxWaiters);
        }
        this.maxWaiters = maxWaiters;
    }

    /** The right to open a session and go for the advisory lock; closing it lets the next caller in. */
    static final class Turn implements AutoCloseable {
        private final Semaphore semaphore;
        private final boolean waited;
        private final AtomicBoolean released = new AtomicBoolean();

        private Turn(Semaphore semaphore, boolean waited) {
            this.semaphore = semaphore;
            this.waited = waited;
        }

        /** True when another caller of this instance had the turn first. */
        boolean waited() {
            return waited;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                semaphore.release();
            }
        }
    }

    /**
     * Takes the turn, waiting up to {@code wait} behind earlier callers. {@code beforeWaiting} runs only when this
     * caller has to wait, before it does (to note what was pending then).
     *
     * @return the turn, or empty when the wait ran out
     * @throws TooManyWaitersException when {@code maxWaiters} callers already wait
     */
    Optional<Turn> enter(Duration wait, Runnable beforeWaiting) {
        // The timed form honours fairness; the untimed tryAcquire() would overtake callers already queued.
        if (acquire(0)) {
            return Optional.of(new Turn(turn, false));
        }
        if (waiting.incrementAndGet() > maxWaiters) {
            waiting.decrementAndGet();
            throw new TooManyWaitersException(maxWaiters);
        }
        try {
            beforeWaiting.run();
            return acquire(wait.toNanos()) ? Optional.of(new Turn(turn, true)) : Optional.empty();
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** How many callers wait for their turn right now. */
    int waiting() {
        return waiting.get();
    }

    private boolean acquire(long nanos) {
        try {
            return turn.tryAcquire(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the migration lock", e);
        }
    }
}
