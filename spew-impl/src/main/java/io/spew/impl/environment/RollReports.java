package io.spew.impl.environment;

import static java.util.Objects.requireNonNull;

import io.spew.Registration;
import io.spew.environment.RollProgress;
import io.spew.host.HostState;
import io.spew.impl.cluster.MemberMessages;
import io.spew.impl.json.Json;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.MemberStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Tells the other members of a cluster each step of this host's rolls (JSON on topic {@value #TOPIC}) and
 * passes theirs to this host's roll listeners: the live progress and the {@code roll} events of any host show
 * every host's part of a roll, each step with its host. Open it before the transport starts.
 */
@Singleton
public final class RollReports implements AutoCloseable {
    static final String TOPIC = "spew.rolls";
    private static final System.Logger LOG = System.getLogger(RollReports.class.getName());

    private final RollProgressListeners listeners;
    private final ClusterTransport transport;
    private final List<Registration> registrations = new ArrayList<>();

    @Inject
    RollReports(RollProgressListeners listeners, ClusterTransport transport) {
        this.listeners = requireNonNull(listeners, "listeners is null");
        this.transport = requireNonNull(transport, "transport is null");
    }

    /** Sends the steps of this host's rolls from now on, and relays those of others. */
    public synchronized void open() {
        registrations.add(transport.onMessage(TOPIC, (from, payload) -> {
            try {
                RollProgress progress = Json.mapper().readValue(payload, RollProgress.class);
                listeners.relay(progress.host() == null ? progress.onHost(from) : progress);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "host " + from + " sent a step of a roll that does not parse: "
                        + e.getMessage());
            }
        }));
        registrations.add(listeners.add(progress -> {
            if (listeners.host().equals(progress.host())) {
                send(progress);
            }
        }));
    }

    private void send(RollProgress progress) {
        byte[] payload;
        try {
            payload = Json.mapper().writeValueAsBytes(progress);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot write a step of a roll: " + e.getMessage());
            return;
        }
        MemberMessages.tellOthers(transport, listeners.host(), transport.members(),
                EnumSet.of(HostState.UP, HostState.SUSPECT), TOPIC, payload, "a step of a roll");
    }

    @Override
    public synchronized void close() {
        registrations.forEach(Registration::close);
        registrations.clear();
    }
}
