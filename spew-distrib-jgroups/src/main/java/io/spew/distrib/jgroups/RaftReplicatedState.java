package io.spew.distrib.jgroups;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.spi.cluster.ReplicatedState;
import java.io.DataInput;
import java.io.DataOutput;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.REDIRECT;
import org.jgroups.protocols.raft.RaftLeaderException;
import org.jgroups.raft.RaftHandle;
import org.jgroups.raft.StateMachine;
import org.jgroups.stack.Protocol;

/**
 * {@link ReplicatedState} on jgroups-raft: a channel of its own (its own port), on the transport's sealed
 * stack with ELECTION, RAFT and REDIRECT on top, so the log travels sealed with the cluster key too. The
 * Raft members are the ids given at start plus those {@link #tend} adds (a majority of them must be up to
 * write). The log is kept in {@code logDirectory} (jgroups-raft's FileBasedLog), or in memory when it is null
 * (tests); the members last seen are kept beside it ({@value #MEMBERS_FILE}), so a member that starts again
 * alone cannot make a majority of one.
 */
final class RaftReplicatedState implements ReplicatedState, AutoCloseable {
    static final String MEMBERS_FILE = "members";
    /** Where a member that left says so (the value: when, in epoch milliseconds). */
    static final String LEFT_PREFIX = "cluster/left/";
    /** How long a member that left is not added back while it still shows up in the view. */
    static final Duration LEFT_HOLD = Duration.ofMinutes(1);
    /** How long a write waits, at most, for a leader to be elected (after a member started or one left). */
    static final Duration LEADER_WAIT = Duration.ofSeconds(5);
    private static final Duration LEADER_POLL = Duration.ofMillis(50);

    private static final System.Logger LOG = System.getLogger(RaftReplicatedState.class.getName());

    private final JGroupsSettings settings;
    private final String raftId;
    private final List<String> raftMembers;
    private final Path logDirectory;
    private final SortedMap<String, String> state = new TreeMap<>();
    private final List<Consumer<SortedMap<String, String>>> listeners = new CopyOnWriteArrayList<>();
    private JChannel channel;
    private RaftHandle raft;
    private List<String> savedMembers = List.of();
    private boolean closed;

    RaftReplicatedState(JGroupsSettings settings, String raftId, List<String> raftMembers, Path logDirectory) {
        this.settings = requireNonNull(settings, "settings is null");
        this.raftId = requireNonNull(raftId, "raftId is null");
        this.raftMembers = List.copyOf(raftMembers);
        if (!this.raftMembers.contains(raftId)) {
            throw new IllegalArgumentException("raft id " + raftId + " is not one of the members " + raftMembers);
        }
        this.logDirectory = logDirectory;
    }

    /** Joins the Raft group; returns at once (a leader is elected once a majority is there). */
    void start() {
        start(List.of());
    }

    /** As {@link #start()}, with {@code belowElection} put under the election (tests drop messages there). */
    synchronized void start(List<Protocol> belowElection) {
        if (channel != null || closed) {
            return;
        }
        List<Protocol> stack = new ArrayList<>(ProtocolStacks.create(settings,
                new ClusterKeySeal(settings.clusterKey(), settings.clusterName() + ".raft"), new SuspicionWatch(
                        new SuspicionWatch.Listener() {
                            @Override
                            public void suspected(java.util.Collection<Address> members) {}

                            @Override
                            public void unsuspected(Address member) {}
                        })));
        RAFT protocol = new RAFT().raftId(raftId).members(raftMembers);
        if (logDirectory == null) {
            protocol.logClass("org.jgroups.protocols.raft.InMemoryLog");
        } else {
            protocol.logClass("org.jgroups.protocols.raft.FileBasedLog").logDir(logDirectory.toString())
                    .logPrefix("spew-" + raftId);
        }
        stack.addAll(belowElection);
        stack.add(new AnnouncingElection());
        stack.add(protocol);
        stack.add(new REDIRECT());
        JChannel created = null;
        try {
            created = new JChannel(stack);
            created.setName(raftId);
            raft = new RaftHandle(created, new Machine());
            created.connect(settings.clusterName() + ".raft");
            channel = created;
        } catch (Exception e) {
            if (created != null) {
                created.close();
            }
            throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "cannot start the replicated state on "
                    + settings.bindAddress() + "[" + settings.port() + "]: " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String key, String value, Duration timeout) {
        write(StateCommands.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null")),
                key, timeout);
    }

    @Override
    public String putIfAbsent(String key, String value, Duration timeout) {
        byte[] held = write(StateCommands.putIfAbsent(requireNonNull(key, "key is null"),
                requireNonNull(value, "value is null")), key, timeout);
        if (held == null) {
            throw unavailable(key, "the leader answered no value", null);
        }
        return new String(held, StandardCharsets.UTF_8);
    }

    @Override
    public void remove(String key, Duration timeout) {
        write(StateCommands.remove(requireNonNull(key, "key is null")), key, timeout);
    }

    /**
     * Commits {@code command}; returns what applying it answered (null for all but put-if-absent). While no
     * leader is known (an election after a member started or left), the command is offered again every
     * {@link #LEADER_POLL} for up to {@link #LEADER_WAIT} (within {@code timeout}): a command REDIRECT finds
     * no leader for went nowhere, so offering it again cannot apply it twice.
     */
    private byte[] write(byte[] command, String key, Duration timeout) {
        RaftHandle handle = handle();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long leaderDeadline = start + Math.min(timeout.toNanos(), LEADER_WAIT.toNanos());
        while (true) {
            try {
                return handle.setAsync(command, 0, command.length)
                        .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable(key, "interrupted", e);
            } catch (TimeoutException e) {
                throw unavailable(key, "no majority committed it within " + timeout.toMillis() + " ms", e);
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (!(cause instanceof RaftLeaderException)) {
                    throw unavailable(key, String.valueOf(cause.getMessage()), e);
                }
                if (System.nanoTime() + LEADER_POLL.toNanos() > leaderDeadline) {
                    throw unavailable(key, "no leader was elected within "
                            + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms", e);
                }
                try {
                    Thread.sleep(LEADER_POLL.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw unavailable(key, "interrupted", interrupted);
                }
            }
        }
    }

    private SpewException unavailable(String key, String why, Exception cause) {
        return new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "cannot write '" + key + "' to the cluster's"
                + " desired state: " + why + " (a majority of " + raftMembers + " must be up)", cause);
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
    public Optional<String> leader() {
        RaftHandle handle = raft;
        if (handle == null || handle.leader() == null) {
            return Optional.empty();
        }
        return Optional.of(handle.isLeader() ? raftId : String.valueOf(handle.leader()));
    }

    @Override
    public boolean isLeader() {
        RaftHandle handle = raft;
        return handle != null && handle.isLeader();
    }

    /** The Raft members as this member knows them now. */
    List<String> members() {
        RaftHandle handle = raft;
        return handle == null ? raftMembers : List.copyOf(handle.raft().members());
    }

    /**
     * Keeps the members this member knows, and on the leader adds to Raft the first of {@code up} (members of
     * the cluster that are up) that is not a Raft member yet; waits for that change to commit. Members are never
     * removed here: a lost host stays a member, so a minority never has a majority.
     */
    void tend(Collection<String> up, Duration timeout) {
        RaftHandle handle = raft;
        if (handle == null) {
            return;
        }
        saveMembers(members());
        if (!handle.isLeader()) {
            return;
        }
        for (String id : new TreeSet<>(up)) {
            if (!handle.raft().members().contains(id) && !leftLately(id)) {
                try {
                    handle.raft().addServer(id).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    LOG.log(Level.INFO, () -> "added " + id + " to the Raft members: " + members());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    LOG.log(Level.DEBUG, () -> "cannot add " + id + " to the Raft members yet: " + e);
                }
                return; // one change at a time
            }
        }
    }

    private boolean leftLately(String id) {
        return get(LEFT_PREFIX + id).map(Long::parseLong)
                .filter(at -> System.currentTimeMillis() - at < LEFT_HOLD.toMillis()).isPresent();
    }

    /**
     * Takes this member out of the Raft members through the leader, after saying so in the state (so that the
     * leader does not add it back while it still shows up in the view); returns once a majority holds it.
     */
    void leave(Duration timeout) {
        put(LEFT_PREFIX + raftId, Long.toString(System.currentTimeMillis()), timeout);
        try {
            ((REDIRECT) channel().getProtocolStack().findProtocol(REDIRECT.class)).removeServer(raftId)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "interrupted while leaving the Raft members", e);
        } catch (Exception e) {
            throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "cannot take " + raftId + " out of the Raft"
                    + " members " + members() + ": " + e.getMessage() + " (a majority must be up)", e);
        }
        LOG.log(Level.INFO, () -> raftId + " left the Raft members: " + members());
    }

    private synchronized JChannel channel() {
        if (channel == null) {
            throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "the replicated state is not started or closed");
        }
        return channel;
    }

    /** The members kept in {@code logDirectory} by an earlier run, if any. */
    static List<String> rememberedMembers(Path logDirectory) {
        if (logDirectory == null || !Files.exists(logDirectory.resolve(MEMBERS_FILE))) {
            return List.of();
        }
        try {
            return Files.readAllLines(logDirectory.resolve(MEMBERS_FILE), StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read the Raft members in " + logDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    private synchronized void saveMembers(List<String> members) {
        List<String> sorted = List.copyOf(new TreeSet<>(members));
        if (logDirectory == null || sorted.equals(savedMembers)) {
            return;
        }
        try {
            Files.createDirectories(logDirectory);
            Path temporary = logDirectory.resolve(MEMBERS_FILE + ".tmp");
            Files.write(temporary, sorted, StandardCharsets.UTF_8);
            Files.move(temporary, logDirectory.resolve(MEMBERS_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            savedMembers = sorted;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot keep the Raft members in " + logDirectory + ": " + e.getMessage());
        }
    }

    @Override
    public Registration onChange(Consumer<SortedMap<String, String>> listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        JChannel toClose;
        synchronized (this) {
            closed = true;
            toClose = channel;
            channel = null;
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    private synchronized RaftHandle handle() {
        channel();
        return raft;
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

    /** Applies committed entries in log order; snapshots are the whole map. */
    private final class Machine implements StateMachine {
        @Override
        public byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) throws Exception {
            String answer;
            synchronized (state) {
                answer = StateCommands.apply(data, offset, length, state);
            }
            changed();
            return answer == null || !serializeResponse ? null : answer.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void readContentFrom(DataInput in) throws Exception {
            SortedMap<String, String> read = StateCommands.readSnapshot(in);
            synchronized (state) {
                state.clear();
                state.putAll(read);
            }
            changed();
        }

        @Override
        public void writeContentTo(DataOutput out) throws Exception {
            StateCommands.writeSnapshot(snapshot(), out);
        }
    }
}
