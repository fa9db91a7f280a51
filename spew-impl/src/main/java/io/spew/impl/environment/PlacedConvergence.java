package io.spew.impl.environment;

import static java.util.Objects.requireNonNull;

import io.spew.Registration;
import io.spew.build.BuildId;
import io.spew.impl.cluster.BuildTransfer;
import io.spew.impl.cluster.Placement;
import io.spew.impl.host.HostFacts;
import io.spew.spi.cluster.ClusterTransport;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Converges this host's share of the cluster's environments: after each change of the replicated state and
 * every {@value #TICK_MILLIS} ms, each started environment's instances placed here are created and started
 * (and those here but placed elsewhere stopped and removed) through {@link LocalEnvironments#startPlaced};
 * a stopped environment's instances here are stopped through {@link LocalEnvironments#stop}. An instance is
 * never started here unless the committed placement names this host. Nothing is done while this host knows
 * no leader (it is in a minority, or has just started): its instances run on as they are. A build of an instance
 * placed here that this host lacks is first fetched from another host by its id and verified again
 * ({@link BuildTransfer}). The cluster's versions of each appliance are what this host rolls its instances to, and
 * it restarts them when the cluster asks ({@link HostRolls}).
 */
@Singleton
public final class PlacedConvergence implements AutoCloseable {
    static final long TICK_MILLIS = 5000;
    private static final System.Logger LOG = System.getLogger(PlacedConvergence.class.getName());

    private final HostFacts facts;
    private final ClusterTransport transport;
    private final LocalEnvironments local;
    private final BuildTransfer transfer;
    private final Worker worker = new Worker("spew-placed-convergence", TICK_MILLIS, this::converge);
    private final Map<String, String> applied = new HashMap<>();
    private final List<Registration> registrations = new ArrayList<>();
    private final HostRolls rolls;

    @Inject
    PlacedConvergence(HostFacts facts, ClusterTransport transport, LocalEnvironments local, BuildTransfer transfer) {
        this.transfer = requireNonNull(transfer, "transfer is null");
        this.facts = requireNonNull(facts, "facts is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.local = requireNonNull(local, "local is null");
        this.rolls = new HostRolls(facts.id(), local, transport.replicatedState());
    }

    public synchronized void start() {
        registrations.add(transport.replicatedState().onChange(state -> worker.wake()));
        worker.start();
    }

    private void converge() {
        if (transport.replicatedState().leader().isEmpty()) {
            return; // cut off from a majority, or not caught up yet: what this host applied may be stale
        }
        SortedMap<String, String> snapshot = transport.replicatedState().snapshot();
        for (var entry : SharedEnvironment.all(snapshot).entrySet()) {
            String file = entry.getKey();
            SharedEnvironment shared = entry.getValue();
            try {
                if (shared.stopped()) {
                    if (local.keeps(file)) {
                        local.stop(shared.files(), shared.environment(), shared.remove());
                    }
                    applied.remove(file);
                    continue;
                }
                Optional<Placement.Result> placement = SharedEnvironment.placement(snapshot, file);
                if (placement.isEmpty()) {
                    continue;
                }
                convergeShare(shared, placement.get(), snapshot);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "environment " + file + " did not converge on this host: " + e.getMessage());
            }
        }
    }

    /** Converges this host's share of a started environment, then restarts what is asked and says where it is. */
    private void convergeShare(SharedEnvironment shared, Placement.Result placement,
            SortedMap<String, String> snapshot) {
        Map<String, String> placements = placement.placements();
        String version = shared.encode() + placements;
        try {
            fetchMissingBuilds(shared, placement);
            local.startPlaced(shared.files(), shared.environment(), shared.user(),
                    name -> facts.id().equals(placements.get(name)), !version.equals(applied.get(shared.file())),
                    shared.versions());
            applied.put(shared.file(), version);
        } catch (RuntimeException e) {
            rolls.settle(shared, placement, snapshot, e);
            throw e;
        }
        rolls.settle(shared, placement, snapshot, null);
    }

    /**
     * Fetches from another host each build of an appliance placed here that this host lacks, verified again;
     * a build that cannot be had throws, naming each host asked and why.
     */
    private void fetchMissingBuilds(SharedEnvironment shared, Placement.Result placement) {
        for (String appliance : shared.appliancesOn(placement, facts.id())) {
            BuildId build = shared.builds().get(appliance);
            if (build != null) {
                transfer.ensure(build);
            }
        }
    }

    @Override
    public synchronized void close() {
        registrations.forEach(Registration::close);
        registrations.clear();
        worker.close();
    }
}
