package io.spew.impl.host;

import static java.util.Objects.requireNonNull;

import io.spew.Registration;
import io.spew.host.HostState;
import io.spew.impl.cluster.MemberMessages;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.MemberStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

/**
 * Makes a suspicion the cluster's: a host is {@code suspect} on every host as soon as one member that is up
 * doubts it, not only on the one whose failure detector fired first (often the coordinator, which then drops
 * it before the others' detectors fire). Each host sends the ids it suspects, the whole set, on topic
 * {@value #TOPIC} to the other members whenever that set changes. Open it before the transport starts.
 */
@Singleton
public final class SharedSuspicions implements AutoCloseable {
    static final String TOPIC = "spew.host.suspects";
    private static final System.Logger LOG = System.getLogger(SharedSuspicions.class.getName());

    private final HostFacts facts;
    private final ClusterTransport transport;
    private final ScheduledExecutorService executor;
    private final Map<String, Set<String>> suspectedBy = new ConcurrentHashMap<>();
    private final List<Registration> registrations = new ArrayList<>();
    private Set<String> told = Set.of();

    @Inject
    public SharedSuspicions(HostFacts facts, ClusterTransport transport, ScheduledExecutorService executor) {
        this.facts = requireNonNull(facts, "facts is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    public synchronized void open() {
        registrations.add(transport.onMessage(TOPIC, (from, payload) -> suspectedBy.put(from,
                Arrays.stream(new String(payload, StandardCharsets.UTF_8).split(","))
                        .filter(id -> !id.isBlank()).collect(Collectors.toUnmodifiableSet()))));
        registrations.add(transport.onMembershipChange(members -> {
            // a reporter that left tells again, from nothing, when it is back
            members.stream().filter(member -> member.state() == HostState.LOST)
                    .forEach(member -> suspectedBy.remove(member.member().id()));
            try {
                executor.execute(() -> tell(members));
            } catch (RejectedExecutionException e) {
                // the engine is closing
            }
        }));
    }

    /** How {@code status} reads once what the other members that are up suspect is added. */
    public HostState stateOf(MemberStatus status, List<MemberStatus> members) {
        if (status.state() != HostState.UP) {
            return status.state();
        }
        String id = status.member().id();
        for (MemberStatus reporter : members) {
            Set<String> suspects = suspectedBy.get(reporter.member().id());
            if (reporter.state() == HostState.UP && suspects != null && suspects.contains(id)) {
                return HostState.SUSPECT;
            }
        }
        return HostState.UP;
    }

    private synchronized void tell(List<MemberStatus> members) {
        Set<String> suspects = members.stream().filter(member -> member.state() == HostState.SUSPECT)
                .map(member -> member.member().id()).collect(Collectors.toCollection(TreeSet::new));
        if (suspects.equals(told) && suspects.isEmpty()) {
            return; // while there are suspects, tell again at each change: a member may have come
        }
        told = Set.copyOf(suspects);
        byte[] payload = String.join(",", suspects).getBytes(StandardCharsets.UTF_8);
        MemberMessages.tellOthers(transport, facts.id(), members, EnumSet.of(HostState.UP), TOPIC, payload,
                "the suspects");
    }

    @Override
    public synchronized void close() {
        registrations.forEach(Registration::close);
        registrations.clear();
    }
}
