package io.spew.impl.service;

import static java.util.Objects.requireNonNull;

import io.spew.Registration;
import io.spew.host.HostState;
import io.spew.impl.host.HostFacts;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.MemberStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The instances the other members of the cluster reported, as {@code io.spew.impl.cluster.InstanceReports}
 * hears them, and the address of the host each runs on; none with one host. It holds no instances of this
 * host, so that the catalog may use it while they are made.
 */
@Singleton
public final class ReportedInstances {
    private final String localId;
    private final ClusterTransport transport;
    private final Map<String, List<Instance>> told = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    @Inject
    public ReportedInstances(HostFacts facts, ClusterTransport transport) {
        this.localId = requireNonNull(facts, "facts is null").id();
        this.transport = requireNonNull(transport, "transport is null");
    }

    /** Keeps the instances a host told; the listeners hear of it when they differ from what it told before. */
    public void told(String host, List<Instance> instances) {
        if (!instances.equals(told.put(host, List.copyOf(instances)))) {
            changed();
        }
    }

    /** Forgets the hosts that are no longer members; the listeners hear of a membership change anyway. */
    public void membersChanged(Set<String> members) {
        told.keySet().retainAll(members);
        changed();
    }

    /** The instances of every other member as it last told them, those of a lost member as {@code lost}. */
    public List<Instance> others() {
        List<Instance> all = new ArrayList<>();
        for (MemberStatus member : transport.members()) {
            String id = member.member().id();
            List<Instance> reported = told.get(id);
            if (id.equals(localId) || reported == null) {
                continue;
            }
            for (Instance instance : reported) {
                all.add(member.state() == HostState.LOST ? lost(instance) : instance);
            }
        }
        return all;
    }

    /** The address of member {@code host} (another host, as the cluster knows it), if known. */
    public Optional<String> hostAddress(String host) {
        return transport.members().stream().filter(member -> member.member().id().equals(host))
                .map(member -> member.member().address()).filter(address -> address != null).findFirst();
    }

    /** Calls {@code listener} when another host's instances may have changed (a report, a membership change). */
    public Registration onChange(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    private static Instance lost(Instance instance) {
        return new Instance(instance.id(), instance.spec(), instance.host(), InstanceState.LOST, "none", null,
                instance.restarts(), instance.exitStatus(), instance.createdAt(), instance.startedAt(),
                instance.finishedAt(), "its host is lost");
    }
}
