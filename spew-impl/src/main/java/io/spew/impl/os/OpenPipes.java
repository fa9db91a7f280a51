package io.spew.impl.os;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pipes the pump holds open, at most a fixed number, least recently read first out. Pump
 * thread only. A pipe is closed only after it was drained, since a write that came before its
 * close queues no new event.
 */
final class OpenPipes<S> {
    private final int capacity;
    private final Map<S, Boolean> open = new LinkedHashMap<>(16, 0.75f, true);

    OpenPipes(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity is below 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Notes that {@code pipe} was opened or read; when more than the capacity are open, evicts the oldest. */
    void used(S pipe, Consumer<S> drainAndClose) {
        open.put(pipe, Boolean.TRUE);
        while (open.size() > capacity) {
            Iterator<S> oldest = open.keySet().iterator();
            S victim = oldest.next();
            oldest.remove();
            drainAndClose.accept(victim);
        }
    }

    void remove(S pipe) {
        open.remove(pipe);
    }

    int size() {
        return open.size();
    }
}
