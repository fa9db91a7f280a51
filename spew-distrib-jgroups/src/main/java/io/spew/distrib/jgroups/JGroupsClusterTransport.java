package io.spew.distrib.jgroups;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.Member;
import io.spew.spi.cluster.MemberStatus;
import io.spew.host.HostState;
import io.spew.spi.cluster.MessageListener;
import io.spew.spi.cluster.ReplicatedState;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.TreeSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;

/**
 * The {@code jgroups} transport: one JChannel over TCP, sealed with the cluster key, and beside it the
 * replicated state ({@link RaftReplicatedState}) on a channel of its own one port up, joined on a thread of its
 * own once the transport has started. The Raft members are this host, the members it sees at start and those
 * it knew before; that thread then tends them every {@value #TEND_MILLIS} ms (the leader adds members that are
 * up and not yet in Raft).
 */
final class JGroupsClusterTransport implements ClusterTransport {
    private static final System.Logger LOG = System.getLogger(JGroupsClusterTransport.class.getName());
    private static final long TEND_MILLIS = 500;

    private final JGroupsSettings settings;
    private final Member local;
    private final MemberTable table;
    private final ClusterKeySeal seal;
    private final Map<String, List<MessageListener>> messageListeners = new ConcurrentHashMap<>();
    private final List<Consumer<List<MemberStatus>>> membershipListeners = new CopyOnWriteArrayList<>();
    private final Object notifying = new Object();
    private final Path raftDirectory;
    private JChannel channel;
    private RaftReplicatedState state;
    private Thread tending;
    private boolean closed;

    JGroupsClusterTransport(JGroupsSettings settings, Member local) {
        this(settings, local, null);
    }

    /** @param raftDirectory where the Raft log is kept, or null to keep it in memory */
    JGroupsClusterTransport(JGroupsSettings settings, Member local, Path raftDirectory) {
        this.settings = requireNonNull(settings, "settings is null");
        this.local = requireNonNull(local, "local is null");
        this.raftDirectory = raftDirectory;
        this.table = new MemberTable(local);
        this.seal = new ClusterKeySeal(settings.clusterKey(), settings.clusterName());
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("this transport is closed");
        }
        if (channel != null) {
            return;
        }
        JChannel created = null;
        try {
            created = new JChannel(ProtocolStacks.create(settings, seal, new SuspicionWatch(new Suspicions())));
            created.addAddressGenerator(() -> MemberCodec.address(local));
            created.setName(local.id());
            created.setReceiver(new ChannelReceiver());
            created.connect(settings.clusterName());
            channel = created;
        } catch (SpewException e) {
            throw e;
        } catch (Exception e) {
            if (created != null) {
                created.close();
            }
            throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "cannot join cluster " + settings.clusterName()
                    + " on " + settings.bindAddress() + "[" + settings.port() + "]: " + e.getMessage()
                    + " (is the port free and the address this host's?)", e);
        }
        LOG.log(Level.INFO, () -> "joined cluster " + settings.clusterName() + " as " + local.id()
                + " with " + (table.snapshot().size() - 1) + " other member(s)");
        startState();
    }

    private void startState() {
        TreeSet<String> raftMembers = new TreeSet<>(RaftReplicatedState.rememberedMembers(raftDirectory));
        raftMembers.addAll(upMembers());
        state = new RaftReplicatedState(settings.forRaft(), local.id(), List.copyOf(raftMembers), raftDirectory);
        // joined on a thread of its own: the engine starts meanwhile, and writes fail as unavailable until then
        tending = new Thread(this::tend, "spew-raft-members");
        tending.setDaemon(true);
        tending.start();
    }

    private List<String> upMembers() {
        return table.snapshot().stream().filter(status -> status.state() == HostState.UP)
                .map(status -> status.member().id()).toList();
    }

    private void tend() {
        RaftReplicatedState current = state;
        try {
            current.start();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "the cluster's replicated state did not start: " + e.getMessage(), e);
            return;
        }
        while (!Thread.currentThread().isInterrupted()) {
            try {
                current.tend(upMembers(), Duration.ofSeconds(5));
                Thread.sleep(TEND_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "tending the Raft members failed", e);
            }
        }
    }

    @Override
    public ReplicatedState replicatedState() {
        RaftReplicatedState current = state;
        if (current == null) {
            throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "the jgroups transport of " + local.id()
                    + " is not started");
        }
        return current;
    }

    @Override
    public List<MemberStatus> members() {
        return table.snapshot();
    }

    @Override
    public Registration onMembershipChange(Consumer<List<MemberStatus>> listener) {
        requireNonNull(listener, "listener is null");
        membershipListeners.add(listener);
        return () -> membershipListeners.remove(listener);
    }

    @Override
    public void send(String memberId, String topic, byte[] payload) {
        requireNonNull(memberId, "memberId is null");
        byte[] encoded = new TopicMessage(topic, requireNonNull(payload, "payload is null")).encode();
        JChannel current = openChannel();
        Address destination = memberId.equals(local.id()) ? current.getAddress() : table.reachable(memberId)
                .orElseThrow(() -> new SpewException(ErrorCode.HOST_NOT_FOUND, table.lost(memberId)
                        ? "host " + memberId + " is lost: it left the cluster or stopped answering"
                        : "no host " + memberId + " in cluster " + settings.clusterName() + " (see 'spew host ls')"));
        try {
            current.send(new BytesMessage(destination, encoded));
        } catch (Exception e) {
            throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE,
                    "cannot send '" + topic + "' to host " + memberId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Registration onMessage(String topic, MessageListener listener) {
        requireNonNull(topic, "topic is null");
        requireNonNull(listener, "listener is null");
        List<MessageListener> listeners = messageListeners.computeIfAbsent(topic, key -> new CopyOnWriteArrayList<>());
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Takes this member out of the Raft members (see {@link RaftReplicatedState#leave}), then closes. */
    @Override
    public void leave(Duration timeout) {
        ((RaftReplicatedState) replicatedState()).leave(timeout);
        close();
    }

    @Override
    public void close() {
        JChannel toClose;
        RaftReplicatedState stateToClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = channel;
            channel = null;
            stateToClose = state;
        }
        if (tending != null) {
            tending.interrupt();
        }
        if (stateToClose != null) {
            stateToClose.close();
        }
        if (toClose != null) {
            toClose.close();
        }
        messageListeners.clear();
        membershipListeners.clear();
    }

    /** The channel, for tests in this package that partition or inspect it. */
    synchronized JChannel channel() {
        return channel;
    }

    /** How many arriving messages did not open with the cluster key. */
    long rejectedMessages() {
        return seal.rejected();
    }

    private synchronized JChannel openChannel() {
        if (channel == null) {
            throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, closed
                    ? "the jgroups transport of " + local.id() + " is closed"
                    : "the jgroups transport of " + local.id() + " is not started");
        }
        return channel;
    }

    /**
     * Tells the listeners. Views and suspicions arrive on different threads: the snapshot is taken and handed
     * out under one lock, so the last list a listener gets is always the current one.
     */
    private void membershipChanged() {
        synchronized (notifying) {
            List<MemberStatus> members = table.snapshot();
            for (Consumer<List<MemberStatus>> listener : membershipListeners) {
                try {
                    listener.accept(members);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a membership listener failed", e);
                }
            }
        }
    }

    private void deliver(Message message) {
        Optional<Member> sender = MemberCodec.member(message.getSrc());
        if (sender.isEmpty()) {
            LOG.log(Level.DEBUG, () -> "dropped a message from " + message.getSrc() + ", not a Spew member");
            return;
        }
        TopicMessage topicMessage;
        try {
            topicMessage = TopicMessage.decode(message.getArray(), message.getOffset(), message.getLength());
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, () -> "dropped a malformed message from " + sender.get().id() + ": " + e.getMessage());
            return;
        }
        for (MessageListener listener : messageListeners.getOrDefault(topicMessage.topic(), List.of())) {
            try {
                listener.received(sender.get().id(), topicMessage.payload().clone());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a listener of topic '" + topicMessage.topic() + "' failed", e);
            }
        }
    }

    private final class ChannelReceiver implements Receiver {
        @Override
        public void receive(Message message) {
            deliver(message);
        }

        @Override
        public void viewAccepted(View view) {
            LOG.log(Level.DEBUG, () -> local.id() + " sees view " + view);
            if (table.viewChanged(view.getMembers())) {
                membershipChanged();
            }
        }
    }

    private final class Suspicions implements SuspicionWatch.Listener {
        @Override
        public void suspected(Collection<Address> members) {
            if (table.suspected(members)) {
                membershipChanged();
            }
        }

        @Override
        public void unsuspected(Address member) {
            if (table.unsuspected(member)) {
                membershipChanged();
            }
        }
    }
}
