package io.spew.distrib.jgroups;

import io.spew.Registration;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * The cluster's desired state (environments, counts, placements, as later parts will write them): a sorted
 * map of keys to values, replicated through a Raft log so that every member applies the same writes in the
 * same order, and a write returns once a majority holds it. Any member may write; the leader orders the
 * writes. Reads are local and may lag the leader by the writes not yet applied here.
 */
interface ReplicatedState extends AutoCloseable {
    /** Sets {@code key} to {@code value}; returns once a majority committed it, or fails with CLUSTER_UNAVAILABLE. */
    void put(String key, String value, Duration timeout);

    /** Removes {@code key} (nothing if absent), as {@link #put} does. */
    void remove(String key, Duration timeout);

    /** The value applied here. */
    Optional<String> get(String key);

    /** Everything applied here, sorted by key. */
    SortedMap<String, String> snapshot();

    /** The Raft id of the leader this member knows, if any. */
    Optional<String> leader();

    /** Called with the whole state after each write applied here. */
    Registration onChange(Consumer<SortedMap<String, String>> listener);

    @Override
    void close();
}
