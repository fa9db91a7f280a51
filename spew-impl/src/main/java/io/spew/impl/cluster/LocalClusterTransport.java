package io.spew.impl.cluster;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.host.HostState;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.Member;
import io.spew.spi.cluster.MemberStatus;
import io.spew.spi.cluster.MessageListener;
import io.spew.spi.cluster.ReplicatedState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The cluster of one host: itself, always up; messages to itself are delivered at once. */
public final class LocalClusterTransport implements ClusterTransport {
    private final Member local;
    private final Map<String, List<MessageListener>> listeners = new ConcurrentHashMap<>();
    private final LocalReplicatedState state;

    public LocalClusterTransport(Member local) {
        this.local = requireNonNull(local, "local is null");
        this.state = new LocalReplicatedState(local.id());
    }

    @Override
    public ReplicatedState replicatedState() {
        return state;
    }

    @Override
    public void start() {}

    @Override
    public List<MemberStatus> members() {
        return List.of(new MemberStatus(local, HostState.UP));
    }

    @Override
    public Registration onMembershipChange(Consumer<List<MemberStatus>> listener) {
        // The membership of one host never changes.
        return () -> {};
    }

    @Override
    public void send(String memberId, String topic, byte[] payload) {
        if (!local.id().equals(memberId)) {
            throw new SpewException(ErrorCode.HOST_NOT_FOUND, "no host " + memberId + " in this one-host cluster");
        }
        for (MessageListener listener : listeners.getOrDefault(topic, List.of())) {
            listener.received(local.id(), payload.clone());
        }
    }

    @Override
    public Registration onMessage(String topic, MessageListener listener) {
        List<MessageListener> topicListeners = listeners.computeIfAbsent(topic, key -> new CopyOnWriteArrayList<>());
        topicListeners.add(listener);
        return () -> topicListeners.remove(listener);
    }

    /** A host alone has no cluster to leave. */
    @Override
    public void leave(java.time.Duration timeout) {}

    @Override
    public void close() {
        listeners.clear();
    }
}
