package io.spew.daemon.api;

/**
 * The last line of an event stream whose client did not keep up: the daemon dropped events rather
 * than wait for it, and ends the stream after this line.
 *
 * @param dropped how many events were dropped
 * @param message what happened and what to do, for a person
 */
public record EventsDropped(long dropped, String message) {
    public EventsDropped {
        if (dropped <= 0) {
            throw new IllegalArgumentException("dropped must be positive: " + dropped);
        }
    }
}
