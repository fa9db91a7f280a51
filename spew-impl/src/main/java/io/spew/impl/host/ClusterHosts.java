package io.spew.impl.host;

import static java.util.Objects.requireNonNull;

import io.spew.host.Host;
import io.spew.host.Hosts;
import io.spew.impl.runtime.RuntimeRegistry;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.MemberStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/** The hosts of the cluster as the transport sees them; facts beyond membership are the local host's own. */
@Singleton
public final class ClusterHosts implements Hosts {
    private final HostFacts facts;
    private final RuntimeRegistry runtimes;
    private final ClusterTransport transport;

    @Inject
    public ClusterHosts(HostFacts facts, RuntimeRegistry runtimes, ClusterTransport transport) {
        this.facts = requireNonNull(facts, "facts is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.transport = requireNonNull(transport, "transport is null");
    }

    @Override
    public List<Host> list() {
        return transport.members().stream().map(this::toHost).toList();
    }

    @Override
    public Host local() {
        return list().stream().filter(Host::local).findFirst().orElseThrow();
    }

    private Host toHost(MemberStatus status) {
        boolean local = status.member().id().equals(facts.id());
        return new Host(status.member().id(), status.member().name(), status.member().address(), status.state(),
                local, local ? runtimes.available() : List.of(), status.member().labels(),
                local ? facts.cores() : 0, local ? facts.memoryBytes() : 0);
    }
}
