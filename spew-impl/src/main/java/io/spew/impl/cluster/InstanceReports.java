package io.spew.impl.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import io.spew.Registration;
import io.spew.host.HostState;
import io.spew.impl.host.HostFacts;
import io.spew.impl.instance.LocalInstances;
import io.spew.impl.service.ReportedInstances;
import io.spew.impl.json.Json;
import io.spew.instance.Instance;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.MemberStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Tells the other members of the cluster the instances of this host and keeps what they told (in
 * {@link ReportedInstances}, where the service catalog reads them), as
 * {@link io.spew.impl.host.HostFactsExchange} does for facts: the whole list, as JSON on topic {@value #TOPIC},
 * at most every {@value #SEND_MILLIS} ms after a change or a membership change, and every
 * {@value #REFRESH_MILLIS} ms anyway. The instances of a host that is lost read {@code lost}. Open it before the
 * transport starts, start it once the transport has.
 */
@Singleton
public final class InstanceReports implements AutoCloseable {
    static final String TOPIC = "spew.instances";
    static final long SEND_MILLIS = 250;
    static final long REFRESH_MILLIS = 3000;
    private static final System.Logger LOG = System.getLogger(InstanceReports.class.getName());
    private static final TypeReference<List<Instance>> LIST = new TypeReference<>() {};

    private final HostFacts facts;
    private final LocalInstances instances;
    private final ClusterTransport transport;
    private final ScheduledExecutorService executor;
    private final ReportedInstances told;
    private final AtomicBoolean changed = new AtomicBoolean(true);
    private final List<Registration> registrations = new ArrayList<>();
    private ScheduledFuture<?> sending;
    private long lastSent;

    @Inject
    public InstanceReports(HostFacts facts, LocalInstances instances, ReportedInstances told,
            ClusterTransport transport, ScheduledExecutorService executor) {
        this.told = requireNonNull(told, "told is null");
        this.facts = requireNonNull(facts, "facts is null");
        this.instances = requireNonNull(instances, "instances is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    /** Listens for the reports of others, for membership changes and for changes of this host's instances. */
    public synchronized void open() {
        registrations.add(transport.onMessage(TOPIC, (from, payload) -> {
            try {
                told.told(from, Json.mapper().readValue(payload, LIST));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "host " + from + " sent instances that do not parse: " + e.getMessage());
            }
        }));
        registrations.add(transport.onMembershipChange(members -> {
            Set<String> known = members.stream().map(member -> member.member().id()).collect(Collectors.toSet());
            told.membersChanged(known);
            changed.set(true);
        }));
        registrations.add(instances.onChange(instance -> changed.set(true)));
    }

    /** Sends from now on; call once the transport has started. */
    public synchronized void start() {
        if (sending == null) {
            sending = executor.scheduleWithFixedDelay(this::sendIfDue, 0, SEND_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The instances of every other member as it last told them, those of a lost member as {@code lost}. */
    public List<Instance> others() {
        return told.others();
    }

    private void sendIfDue() {
        long now = System.nanoTime();
        if (!changed.get() && now - lastSent < TimeUnit.MILLISECONDS.toNanos(REFRESH_MILLIS)) {
            return;
        }
        List<MemberStatus> others = transport.members().stream()
                .filter(member -> !member.member().id().equals(facts.id()) && member.state() != HostState.LOST)
                .toList();
        lastSent = now;
        changed.set(false);
        if (others.isEmpty()) {
            return;
        }
        byte[] payload;
        try {
            payload = Json.mapper().writeValueAsBytes(instances.list());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot write this host's instances: " + e.getMessage());
            return;
        }
        MemberMessages.tellOthers(transport, facts.id(), others, EnumSet.of(HostState.UP, HostState.SUSPECT), TOPIC,
                payload, "the instances");
    }

    @Override
    public synchronized void close() {
        if (sending != null) {
            sending.cancel(false);
        }
        registrations.forEach(Registration::close);
        registrations.clear();
    }
}
