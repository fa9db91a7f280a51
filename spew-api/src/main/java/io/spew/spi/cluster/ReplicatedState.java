package io.spew.spi.cluster;

import io.spew.Registration;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * The cluster's desired state (environments and placements): a sorted map of keys to values that every
 * member applies in the same order. A write returns once a majority of the cluster holds it, so a minority
 * partition cannot write; reads are what this member applied and may lag the leader. The leader is the one
 * member that acts for the cluster on the state (the engine's placement runs there only). The {@code local}
 * transport's state is a map of its own, always led by its one host.
 */
public interface ReplicatedState {
    /** Sets {@code key} to {@code value}; returns once committed, else fails with CLUSTER_UNAVAILABLE. */
    void put(String key, String value, Duration timeout);

    /**
     * Sets {@code key} to {@code value} unless it holds a value already, as one write in the state's order, so
     * that of members racing for one key exactly one wins; returns the value the key holds once committed
     * ({@code value} when this write set it). Fails as {@link #put} does.
     */
    String putIfAbsent(String key, String value, Duration timeout);

    /** Removes {@code key} (nothing if absent), as {@link #put} does. */
    void remove(String key, Duration timeout);

    /** The value applied here. */
    Optional<String> get(String key);

    /** Everything applied here, sorted by key. */
    SortedMap<String, String> snapshot();

    /** Whether this member leads now (and may lose the lead at any time). */
    boolean isLeader();

    /** The member id of the leader this member knows, if any. */
    Optional<String> leader();

    /** Called with the whole state after each write applied here. */
    Registration onChange(Consumer<SortedMap<String, String>> listener);
}
