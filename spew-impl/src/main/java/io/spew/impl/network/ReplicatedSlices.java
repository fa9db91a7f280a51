package io.spew.impl.network;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.impl.environment.Worker;
import io.spew.impl.host.HostFacts;
import io.spew.impl.lifecycle.EngineSettings;
import io.spew.impl.state.AtomicFiles;
import io.spew.impl.state.DataDirectory;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.ReplicatedState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The slices of a cluster's instance subnet, assigned through its replicated state so that no two hosts
 * overlap. Each host claims one slice ({@link SliceClaim}: its id and its address) with a put-if-absent, so
 * of hosts racing for a slice one wins: the slice it held before if it still holds it (a restart keeps it;
 * this host's claim is remembered in {@code <data>/network/slice}), else that of network setting
 * {@code slice}, else the first free one. The subnet is the cluster's ({@link InstanceSubnet#KEY}, set by the
 * first host that claims). A claim whose address changed is written again. Every other host's claim is a
 * {@link PeerSlice}; listeners hear of each change. The slice is given back on {@link #release} (leaving the
 * cluster). The work runs on a thread of its own, after each change of the state and every
 * {@value #TICK_MILLIS} ms; claiming needs a majority of the cluster, so a host that holds no slice yet cannot
 * lease instance addresses until it has one ({@link #slice} waits up to {@link #SLICE_WAIT}).
 */
@Singleton
public final class ReplicatedSlices implements HostSlice, PeerSlices, AutoCloseable {
    static final long TICK_MILLIS = 5000;
    static final Duration SLICE_WAIT = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(ReplicatedSlices.class.getName());

    private final Supplier<ReplicatedState> state;
    private final String host;
    private final String address;
    private final InstanceSubnet wanted;
    private final long preferred;
    private final Path remembered;
    private final Worker worker = new Worker("spew-slices", TICK_MILLIS, this::tend);
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Guarded by {@code this}: the slice this host holds, once the state says so. */
    private Ipv4Subnet claimed;
    /** Guarded by {@code this}: the others' slices, null until first read. */
    private List<PeerSlice> peers;
    /** Held while claiming and while giving the slice back. */
    private final Object claiming = new Object();
    /** Guarded by {@code claiming}: set once the slice is given back, so it is not claimed again. */
    private volatile boolean released;
    private Registration changes;

    @Inject
    ReplicatedSlices(ClusterTransport transport, HostFacts facts, SettingsHostSlice settings,
            EngineSettings engine, DataDirectory data) {
        this(transport::replicatedState, facts.id(), hostAddress(engine.networkConfig().get("host-address"),
                facts.ip()), settings.instanceSubnet(), settings.index(),
                data.root().resolve("network").resolve("slice"));
    }

    /**
     * @param state the cluster's replicated state (asked when needed: a transport answers once started)
     * @param host this host's id
     * @param address this host's address, published with its claim
     * @param wanted the instance subnet this host would set, when the cluster has none yet
     * @param preferred the index of the slice to claim first when this host held none
     * @param remembered where the claimed slice is kept
     */
    ReplicatedSlices(Supplier<ReplicatedState> state, String host, String address, InstanceSubnet wanted,
            long preferred, Path remembered) {
        this.state = requireNonNull(state, "state is null");
        this.host = requireNonNull(host, "host is null");
        this.address = requireNonNull(address, "address is null");
        this.wanted = requireNonNull(wanted, "wanted is null");
        this.preferred = preferred;
        this.remembered = requireNonNull(remembered, "remembered is null");
    }

    /**
     * The address of network setting {@code host-address} (an IPv4 address or a name that resolves to one; the
     * wildcard address does not count), else {@code fallback}.
     */
    static String hostAddress(String setting, String fallback) {
        if (setting == null || setting.isBlank()) {
            return fallback;
        }
        try {
            InetAddress resolved = InetAddress.getByName(setting.strip());
            if (resolved instanceof Inet4Address && !resolved.isAnyLocalAddress()) {
                return resolved.getHostAddress();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "network setting host-address " + setting + " does not resolve: " + e.getMessage());
        }
        return fallback;
    }

    /** Follows the replicated state from now on; call once the transport has started. */
    public synchronized void start() {
        changes = state.get().onChange(now -> worker.wake());
        worker.start();
    }

    /** One round: claims (or keeps) this host's slice, then reads the others'; tells listeners of changes. */
    void tend() {
        List<PeerSlice> others;
        synchronized (claiming) {
            if (released) {
                return;
            }
            ReplicatedState current = state.get();
            try {
                new SliceClaiming(current, host, address, wanted, preferred, rememberedSlice())
                        .claim(current.snapshot()).ifPresent(this::claimed);
            } catch (SpewException e) {
                LOG.log(Level.WARNING, "cannot claim a slice of the cluster's instance subnet yet: " + e.getMessage());
            }
            others = SliceClaim.all(current.snapshot()).stream()
                    .filter(claim -> !claim.host().equals(host) && routable(claim.address()))
                    .map(SliceClaim::peer).toList();
        }
        synchronized (this) {
            if (claimed == null || others.equals(peers)) {
                return;
            }
            peers = others;
        }
        listeners.forEach(Runnable::run);
    }

    /**
     * Whether the route to a host at {@code other} is this host's to make: not when it is this host's own
     * address or a loopback one (daemons of one machine, as tests run them, share its routing table).
     */
    private boolean routable(String other) {
        return !other.equals(address) && !other.startsWith("127.");
    }

    private synchronized void claimed(Ipv4Subnet slice) {
        if (slice.equals(claimed)) {
            return;
        }
        claimed = slice;
        notifyAll();
        LOG.log(Level.INFO, "this host holds slice " + slice + " of the cluster's instance subnet, at " + address);
        try {
            Files.createDirectories(remembered.getParent());
            AtomicFiles.write(remembered, (slice + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot keep the slice in " + remembered + ": " + e.getMessage());
        }
    }

    private Optional<Ipv4Subnet> rememberedSlice() {
        try {
            if (Files.exists(remembered)) {
                return Optional.of(Ipv4Subnet.parse(Files.readString(remembered, StandardCharsets.US_ASCII).strip(),
                        remembered.toString()));
            }
        } catch (IOException | SpewException e) {
            LOG.log(Level.WARNING, "ignoring " + remembered + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    /** This host's slice; waits for the cluster to assign one, then fails with CLUSTER_UNAVAILABLE. */
    @Override
    public synchronized Ipv4Subnet slice() {
        long deadline = System.nanoTime() + SLICE_WAIT.toNanos();
        worker.wake();
        while (claimed == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || released) {
                throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "this host holds no slice of the cluster's"
                        + " instance subnet" + (released ? ": it left the cluster" : " yet (waited "
                        + SLICE_WAIT.toSeconds() + " s): a majority of the cluster must be up to assign one"));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "interrupted waiting for this host's slice");
            }
        }
        return claimed;
    }

    @Override
    public synchronized Optional<Ipv4Subnet> known() {
        return Optional.ofNullable(claimed);
    }

    @Override
    public synchronized List<PeerSlice> peers() {
        return peers == null ? List.of() : peers;
    }

    /** Called after each change of {@link #peers}, from the first list read once this host holds its slice. */
    @Override
    public Registration onChange(Runnable listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
        return () -> listeners.remove(listener);
    }

    /**
     * Gives this host's slices back to the cluster and forgets them (routes to the others go too): once a
     * majority holds it, nothing is claimed again. On failure (CLUSTER_UNAVAILABLE) the host claims on.
     */
    @Override
    public void release(Duration timeout) {
        synchronized (claiming) {
            released = true;
            try {
                ReplicatedState current = state.get();
                for (SliceClaim claim : SliceClaim.all(current.snapshot())) {
                    if (claim.host().equals(host)) {
                        current.remove(claim.key(), timeout);
                    }
                }
                Files.deleteIfExists(remembered);
            } catch (IOException | RuntimeException e) {
                claimAgain();
                throw e instanceof SpewException spew ? spew : new SpewException(ErrorCode.IO_ERROR,
                        "cannot forget " + remembered + ": " + e.getMessage(), e);
            }
        }
        synchronized (this) {
            LOG.log(Level.INFO, "gave slice " + claimed + " back to the cluster");
            claimed = null;
            peers = List.of();
            notifyAll();
        }
        listeners.forEach(Runnable::run);
    }

    @Override
    public void claimAgain() {
        released = false;
        worker.wake();
    }

    @Override
    public synchronized void close() {
        if (changes != null) {
            changes.close();
        }
        worker.close();
    }
}
