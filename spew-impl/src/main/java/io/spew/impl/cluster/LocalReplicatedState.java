package io.spew.impl.cluster;

import static java.util.Objects.requireNonNull;

import io.spew.Registration;
import io.spew.spi.cluster.ReplicatedState;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The replicated state of a one-host cluster: a map in memory, every write committed at once, led by the host. */
public final class LocalReplicatedState implements ReplicatedState {
    private static final System.Logger LOG = System.getLogger(LocalReplicatedState.class.getName());

    private final String localId;
    private final SortedMap<String, String> state = new TreeMap<>();
    private final List<Consumer<SortedMap<String, String>>> listeners = new CopyOnWriteArrayList<>();

    public LocalReplicatedState(String localId) {
        this.localId = requireNonNull(localId, "localId is null");
    }

    @Override
    public void put(String key, String value, Duration timeout) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        synchronized (state) {
            state.put(key, value);
        }
        changed();
    }

    @Override
    public String putIfAbsent(String key, String value, Duration timeout) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        String held;
        synchronized (state) {
            held = state.putIfAbsent(key, value);
        }
        if (held != null) {
            return held;
        }
        changed();
        return value;
    }

    @Override
    public void remove(String key, Duration timeout) {
        synchronized (state) {
            state.remove(requireNonNull(key, "key is null"));
        }
        changed();
    }

    @Override
    public Optional<String> get(String key) {
        synchronized (state) {
            return Optional.ofNullable(state.get(key));
        }
    }

    @Override
    public SortedMap<String, String> snapshot() {
        synchronized (state) {
            return Collections.unmodifiableSortedMap(new TreeMap<>(state));
        }
    }

    @Override
    public boolean isLeader() {
        return true;
    }

    @Override
    public Optional<String> leader() {
        return Optional.of(localId);
    }

    @Override
    public Registration onChange(Consumer<SortedMap<String, String>> listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
        return () -> listeners.remove(listener);
    }

    private void changed() {
        SortedMap<String, String> now = snapshot();
        for (Consumer<SortedMap<String, String>> listener : listeners) {
            try {
                listener.accept(now);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a listener of the replicated state failed", e);
            }
        }
    }
}
