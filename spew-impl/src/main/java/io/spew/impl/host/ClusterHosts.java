package io.spew.impl.host;

import static java.util.Objects.requireNonNull;

import io.spew.host.Host;
import io.spew.host.Hosts;
import io.spew.impl.network.HostSlice;
import io.spew.impl.runtime.RuntimeRegistry;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.MemberStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/**
 * The hosts of the cluster as the transport sees them; runtimes, cores and memory of the others are what they
 * told through {@link HostFactsExchange} (none yet: empty and 0); a host any member suspects is suspect
 * ({@link SharedSuspicions}).
 */
@Singleton
public final class ClusterHosts implements Hosts {
    private final HostFacts facts;
    private final RuntimeRegistry runtimes;
    private final ClusterTransport transport;
    private final HostFactsExchange exchange;
    private final SharedSuspicions suspicions;
    private final HostSlice slice;

    @Inject
    public ClusterHosts(HostFacts facts, RuntimeRegistry runtimes, ClusterTransport transport,
            HostFactsExchange exchange, SharedSuspicions suspicions, HostSlice slice) {
        this.slice = requireNonNull(slice, "slice is null");
        this.facts = requireNonNull(facts, "facts is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.exchange = requireNonNull(exchange, "exchange is null");
        this.suspicions = requireNonNull(suspicions, "suspicions is null");
    }

    @Override
    public List<Host> list() {
        List<MemberStatus> members = transport.members();
        return members.stream().map(status -> toHost(status, members)).toList();
    }

    @Override
    public Host local() {
        return list().stream().filter(Host::local).findFirst().orElseThrow();
    }

    /**
     * Gives this host's slice of the instance subnet back, then leaves (both need a majority); a host that could
     * not leave claims a slice again.
     */
    @Override
    public void leaveCluster(Duration timeout) {
        slice.release(timeout);
        try {
            transport.leave(timeout);
        } catch (RuntimeException e) {
            slice.claimAgain();
            throw e;
        }
    }

    private Host toHost(MemberStatus status, List<MemberStatus> members) {
        boolean local = status.member().id().equals(facts.id());
        HostFactsExchange.RemoteFacts told = local
                ? new HostFactsExchange.RemoteFacts(runtimes.available(), facts.cores(), facts.memoryBytes())
                : exchange.of(status.member().id()).orElse(new HostFactsExchange.RemoteFacts(List.of(), 0, 0));
        return new Host(status.member().id(), status.member().name(), status.member().address(),
                suspicions.stateOf(status, members),
                local, told.runtimes(), status.member().labels(), told.cores(), told.memoryBytes());
    }
}
