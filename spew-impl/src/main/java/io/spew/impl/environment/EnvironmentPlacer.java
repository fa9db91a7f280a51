package io.spew.impl.environment;

import static java.util.Objects.requireNonNull;

import io.spew.Registration;
import io.spew.SpewException;
import io.spew.host.HostState;
import io.spew.impl.cluster.Placement;
import io.spew.impl.host.HostFacts;
import io.spew.impl.host.HostFactsExchange;
import io.spew.impl.runtime.RuntimeRegistry;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.MemberStatus;
import io.spew.spi.cluster.ReplicatedState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Places the instances of the cluster's environments, on the Raft leader only: after each change of the
 * replicated state or of the membership, and every {@value #TICK_MILLIS} ms (facts arrive by message), it runs
 * {@link Placement#place} over the hosts that are up or suspect and writes each environment's placement
 * that changed. A write needs a majority: a leader cut off in a minority writes nothing.
 */
@Singleton
public final class EnvironmentPlacer implements AutoCloseable {
    static final long TICK_MILLIS = 1000;
    /** The label that caps how many instances a host takes. */
    public static final String CAPACITY_LABEL = "capacity";
    private static final System.Logger LOG = System.getLogger(EnvironmentPlacer.class.getName());

    private final HostFacts facts;
    private final RuntimeRegistry runtimes;
    private final ClusterTransport transport;
    private final HostFactsExchange exchange;
    private final Worker worker = new Worker("spew-placement", TICK_MILLIS, this::placeIfLeader);
    private final List<Registration> registrations = new ArrayList<>();

    @Inject
    EnvironmentPlacer(HostFacts facts, RuntimeRegistry runtimes, ClusterTransport transport,
            HostFactsExchange exchange) {
        this.facts = requireNonNull(facts, "facts is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.exchange = requireNonNull(exchange, "exchange is null");
    }

    public synchronized void start() {
        registrations.add(transport.replicatedState().onChange(state -> worker.wake()));
        registrations.add(transport.onMembershipChange(members -> worker.wake()));
        worker.start();
    }

    private void placeIfLeader() {
        ReplicatedState state = transport.replicatedState();
        if (!state.isLeader()) {
            return;
        }
        SortedMap<String, String> snapshot = state.snapshot();
        SortedMap<String, SharedEnvironment> environments = SharedEnvironment.all(snapshot);
        Map<String, String> current = new TreeMap<>();
        List<Placement.Demand> demands = new ArrayList<>();
        for (var entry : environments.entrySet()) {
            SharedEnvironment.placement(snapshot, entry.getKey()).ifPresent(p -> current.putAll(p.placements()));
            if (!entry.getValue().stopped()) {
                demands.addAll(entry.getValue().demands());
            }
        }
        Placement.Result result = Placement.place(candidates(), demands, current);
        Set<String> files = new HashSet<>();
        for (var entry : environments.entrySet()) {
            String key = SharedEnvironment.PLACEMENT_PREFIX + entry.getKey();
            files.add(key);
            if (entry.getValue().stopped()) {
                if (snapshot.containsKey(key)) {
                    write(state, key, null);
                }
                continue;
            }
            Placement.Result mine = of(entry.getValue(), result);
            String json = SharedEnvironment.write(mine);
            if (!json.equals(snapshot.get(key))) {
                write(state, key, json);
            }
        }
        snapshot.tailMap(SharedEnvironment.PLACEMENT_PREFIX).keySet().stream()
                .filter(key -> key.startsWith(SharedEnvironment.PLACEMENT_PREFIX) && !files.contains(key))
                .forEach(key -> write(state, key, null));
    }

    private static Placement.Result of(SharedEnvironment environment, Placement.Result all) {
        Map<String, String> placements = new TreeMap<>();
        Map<String, String> unplaced = new TreeMap<>();
        for (String name : environment.instanceNames()) {
            if (all.placements().containsKey(name)) {
                placements.put(name, all.placements().get(name));
            } else if (all.unplaced().containsKey(name)) {
                unplaced.put(name, all.unplaced().get(name));
            }
        }
        return new Placement.Result(new TreeMap<>(placements), new TreeMap<>(unplaced));
    }

    private List<Placement.Candidate> candidates() {
        List<Placement.Candidate> candidates = new ArrayList<>();
        for (MemberStatus status : transport.members()) {
            if (status.state() == HostState.LOST) {
                continue;
            }
            String id = status.member().id();
            Set<String> has = new HashSet<>(id.equals(facts.id()) ? runtimes.available()
                    : exchange.of(id).map(HostFactsExchange.RemoteFacts::runtimes).orElse(List.of()));
            candidates.add(new Placement.Candidate(id, status.member().labels(), has,
                    capacity(status.member().labels().get(CAPACITY_LABEL))));
        }
        return candidates;
    }

    private static int capacity(String label) {
        if (label == null) {
            return Integer.MAX_VALUE;
        }
        try {
            return Math.max(0, Integer.parseInt(label.strip()));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static void write(ReplicatedState state, String key, String value) {
        try {
            if (value == null) {
                state.remove(key, ClusterEnvironments.WRITE_TIMEOUT);
            } else {
                state.put(key, value, ClusterEnvironments.WRITE_TIMEOUT);
            }
        } catch (SpewException e) {
            LOG.log(Level.DEBUG, () -> "cannot write " + key + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        registrations.forEach(Registration::close);
        registrations.clear();
        worker.close();
    }
}
