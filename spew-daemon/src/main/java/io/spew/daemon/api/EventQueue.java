package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The events waiting for one client of the event stream: {@link io.spew.instance.InstanceEvent}s
 * and {@link RollEvent}s. The engine's thread offers each event and
 * never waits: when the queue is full the event is dropped, and so is every later one, since the
 * client has missed one already; the first drop runs {@code overflowed} (on the engine's thread:
 * it must not block either).
 */
final class EventQueue {
    private final ArrayBlockingQueue<Object> queue;
    private final Predicate<Object> filter;
    private final Runnable overflowed;
    private final AtomicLong dropped = new AtomicLong();

    EventQueue(int capacity, Predicate<Object> filter, Runnable overflowed) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.filter = requireNonNull(filter, "filter is null");
        this.overflowed = requireNonNull(overflowed, "overflowed is null");
    }

    /** Queues an event the client asked for, or drops it. Never blocks. */
    void offer(Object event) {
        if (!filter.test(event)) {
            return;
        }
        if (dropped.get() == 0 && queue.offer(event)) {
            return;
        }
        if (dropped.getAndIncrement() == 0) {
            overflowed.run();
        }
    }

    /** The next event, waiting up to {@code timeout}; null if none came. */
    Object poll(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Moves the events waiting now to {@code target}. */
    void drainTo(Collection<Object> target) {
        queue.drainTo(target);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** How many events were dropped; once positive, the stream is to end after what is queued. */
    long dropped() {
        return dropped.get();
    }
}
