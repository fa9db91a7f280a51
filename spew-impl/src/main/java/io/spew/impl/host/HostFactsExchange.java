package io.spew.impl.host;

import static java.util.Objects.requireNonNull;

import io.spew.impl.cluster.MemberMessages;
import io.spew.impl.runtime.RuntimeRegistry;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.MemberStatus;
import io.spew.Registration;
import io.spew.host.HostState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Tells every member of the cluster what this host has (runtimes, cores, memory) and keeps what the others
 * told: each host sends its facts to the others on topic {@value #TOPIC} whenever the membership changes.
 * Open it before the transport starts, so that no message of a member already there is missed.
 */
@Singleton
public final class HostFactsExchange implements AutoCloseable {
    static final String TOPIC = "spew.host.facts";
    private static final System.Logger LOG = System.getLogger(HostFactsExchange.class.getName());

    private final HostFacts facts;
    private final RuntimeRegistry runtimes;
    private final ClusterTransport transport;
    private final ScheduledExecutorService executor;
    private final Map<String, RemoteFacts> remote = new ConcurrentHashMap<>();
    private final List<Registration> registrations = new ArrayList<>();

    /** What a member told about itself. */
    public record RemoteFacts(List<String> runtimes, int cores, long memoryBytes) {
        public RemoteFacts {
            runtimes = List.copyOf(runtimes);
        }

        byte[] encode() {
            return ("cores=" + cores + "\nmemory=" + memoryBytes + "\nruntimes=" + String.join(",", runtimes) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        }

        static RemoteFacts decode(byte[] payload) {
            int cores = 0;
            long memory = 0;
            List<String> runtimes = List.of();
            for (String line : new String(payload, StandardCharsets.UTF_8).split("\n")) {
                int equals = line.indexOf('=');
                if (equals < 0) {
                    continue;
                }
                String value = line.substring(equals + 1).strip();
                switch (line.substring(0, equals)) {
                    case "cores" -> cores = Integer.parseInt(value);
                    case "memory" -> memory = Long.parseLong(value);
                    case "runtimes" -> runtimes = value.isEmpty() ? List.of() : List.of(value.split(","));
                    default -> { } // a later version may tell more
                }
            }
            return new RemoteFacts(runtimes, cores, memory);
        }
    }

    @Inject
    public HostFactsExchange(HostFacts facts, RuntimeRegistry runtimes, ClusterTransport transport,
            ScheduledExecutorService executor) {
        this.facts = requireNonNull(facts, "facts is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    /** Listens for the facts of others and for membership changes; call before the transport starts. */
    public synchronized void open() {
        registrations.add(transport.onMessage(TOPIC, (from, payload) -> {
            try {
                remote.put(from, RemoteFacts.decode(payload));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "host " + from + " sent facts that do not parse: " + e.getMessage());
            }
        }));
        registrations.add(transport.onMembershipChange(members -> tellLater(members)));
    }

    /** Sends this host's facts to every other member now; call once the transport has started. */
    public void tellEveryone() {
        tellLater(transport.members());
    }

    /** What {@code memberId} told about itself, if it did. */
    public Optional<RemoteFacts> of(String memberId) {
        return Optional.ofNullable(remote.get(memberId));
    }

    private void tellLater(List<MemberStatus> members) {
        try {
            // not on the transport's thread: a send must not wait inside its callback
            executor.execute(() -> tell(members));
        } catch (RejectedExecutionException e) {
            // the engine is closing
        }
    }

    private void tell(List<MemberStatus> members) {
        byte[] payload = new RemoteFacts(runtimes.available(), facts.cores(), facts.memoryBytes()).encode();
        MemberMessages.tellOthers(transport, facts.id(), members, EnumSet.of(HostState.UP), TOPIC, payload,
                "this host's facts");
    }

    @Override
    public synchronized void close() {
        registrations.forEach(Registration::close);
        registrations.clear();
    }
}
