package io.spew.impl.cluster;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.impl.host.HostFacts;
import io.spew.impl.instance.LocalInstances;
import io.spew.impl.json.Json;
import io.spew.impl.logs.LogReader;
import io.spew.impl.logs.LogStart;
import io.spew.instance.Instance;
import io.spew.instance.LogStream;
import io.spew.instance.Signal;
import io.spew.spi.cluster.ClusterTransport;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Carries an action on an instance of another host to that host and its answer back, over the cluster
 * transport (sealed with the cluster key; the owning host acts with its own rules, as for a call of its own
 * API): {@code start}, {@code stop}, {@code restart}, {@code kill}, {@code remove}, {@code logs} (the text
 * of a stream from a {@link LogStart}, at most its last {@value #MAX_LOG_BYTES} bytes), and {@code follow}
 * (each poll of a follower brings what was written since its last, see {@link LogSessions}). Requests run on
 * threads of their own, never on the transport's.
 */
@Singleton
public final class InstanceForwarding implements AutoCloseable {
    static final String REQUEST = "spew.forward";
    static final String REPLY = "spew.forward.reply";
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final int MAX_LOG_BYTES = 4 << 20;
    private static final System.Logger LOG = System.getLogger(InstanceForwarding.class.getName());

    private final HostFacts facts;
    private final LocalInstances local;
    private final ClusterTransport transport;
    private final Map<String, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();
    private final LogSessions followed = new LogSessions();
    private final List<Registration> registrations = new ArrayList<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "spew-forwarded");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * An action asked of the host that runs {@code ref}; for logs, the stream, where to start ({@code tail},
     * {@code since}) and the follower's session.
     */
    record Request(String id, String action, String ref, String signal, String stream, int tail, String since,
            String session) {
        static Request logs(String action, String ref, LogStream stream, LogStart start, String session) {
            return new Request(UUID.randomUUID().toString(), action, ref, null, stream.name(), start.tail(),
                    start.since() == null ? null : start.since().toString(), session);
        }

        LogStart start() {
            return new LogStart(tail, since == null ? null : Instant.parse(since));
        }
    }

    /** What a poll of a followed log brings: the text written since the last poll, and whether the instance runs. */
    public record LogChunk(String text, boolean active) {}

    /** Its answer: the instance after it, or the text of its logs, or the error. */
    record Reply(String id, Instance instance, String text, String error, String message) {}

    @Inject
    public InstanceForwarding(HostFacts facts, LocalInstances local, ClusterTransport transport) {
        this.facts = requireNonNull(facts, "facts is null");
        this.local = requireNonNull(local, "local is null");
        this.transport = requireNonNull(transport, "transport is null");
    }

    /** Answers the requests of others and takes the answers to this host's; call before the transport starts. */
    public synchronized void open() {
        registrations.add(transport.onMessage(REQUEST, (from, payload) -> workers.execute(() -> answer(from, payload))));
        registrations.add(transport.onMessage(REPLY, (from, payload) -> {
            try {
                Reply reply = Json.mapper().readValue(payload, Reply.class);
                CompletableFuture<Reply> future = waiting.remove(reply.id());
                if (future != null) {
                    future.complete(reply);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "host " + from + " sent an answer that does not parse: " + e.getMessage());
            }
        }));
    }

    /** Asks {@code host} to act on its instance {@code ref}; returns the instance after it. */
    public Instance act(String host, String action, String ref, Signal signal) {
        return call(host, new Request(UUID.randomUUID().toString(), action, ref,
                signal == null ? null : signal.name(), null, -1, null, null)).instance();
    }

    /** The text of an output stream of {@code host}'s instance {@code ref}, from {@code start}. */
    public String logs(String host, String ref, LogStream stream, LogStart start) {
        return call(host, Request.logs("logs", ref, stream, start, null)).text();
    }

    /**
     * A poll of a follower of {@code host}'s instance {@code ref}: on the first of {@code session}, the stream from
     * {@code start}; then what was written since the poll before.
     */
    public LogChunk follow(String host, String session, String ref, LogStream stream, LogStart start) {
        Reply reply = call(host, Request.logs("follow", ref, stream, start, requireNonNull(session, "session is null")));
        return new LogChunk(reply.text(), reply.instance() != null && reply.instance().state().isActive());
    }

    /** Tells {@code host} that the follower {@code session} is done (its reader closes), without waiting. */
    public void endFollow(String host, String session) {
        try {
            transport.send(host, REQUEST, Json.mapper().writeValueAsBytes(new Request(UUID.randomUUID().toString(),
                    "end-follow", "-", null, null, -1, null, session)));
        } catch (IOException | SpewException e) {
            LOG.log(Level.DEBUG, () -> "cannot tell host " + host + " that follower " + session + " is done: " + e);
        }
    }

    private Reply call(String host, Request request) {
        CompletableFuture<Reply> future = new CompletableFuture<>();
        waiting.put(request.id(), future);
        try {
            transport.send(host, REQUEST, Json.mapper().writeValueAsBytes(request));
            Reply reply = future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.error() != null) {
                throw new SpewException(ErrorCode.valueOf(reply.error()), reply.message() + " (on host " + host + ")");
            }
            return reply;
        } catch (IOException | ExecutionException e) {
            throw new SpewException(ErrorCode.INTERNAL, "cannot ask host " + host + ": " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "host " + host + " did not answer '"
                    + request.action() + " " + request.ref() + "' within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpewException(ErrorCode.INTERNAL, "interrupted while waiting for host " + host);
        } finally {
            waiting.remove(request.id());
        }
    }

    private void answer(String from, byte[] payload) {
        Reply reply;
        String id = null;
        try {
            Request request = Json.mapper().readValue(payload, Request.class);
            id = request.id();
            reply = perform(request);
        } catch (SpewException e) {
            reply = new Reply(id, null, null, e.code().name(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            reply = new Reply(id, null, null, ErrorCode.INTERNAL.name(), "host " + facts.id() + " could not act: " + e);
        }
        try {
            transport.send(from, REPLY, Json.mapper().writeValueAsBytes(reply));
        } catch (IOException | SpewException e) {
            LOG.log(Level.DEBUG, () -> "cannot answer host " + from + ": " + e.getMessage());
        }
    }

    private Reply perform(Request request) throws IOException {
        String ref = request.ref();
        if (request.action().equals("end-follow")) {
            followed.end(request.session());
            return new Reply(request.id(), null, "", null, null);
        }
        if (request.action().equals("follow")) {
            Instance before = local.get(ref); // its state before the read: a follower ends once it read past the end
            String text = followed.next(request.session(), local.log(ref, LogStream.valueOf(request.stream())),
                    request.start(), MAX_LOG_BYTES);
            return new Reply(request.id(), before, text, null, null);
        }
        Instance after = switch (request.action()) {
            case "start" -> local.start(ref);
            case "stop" -> local.stop(ref);
            case "restart" -> local.restart(ref);
            case "kill" -> local.kill(ref, request.signal() == null ? null : Signal.parse(request.signal()));
            case "remove" -> {
                Instance removed = local.get(ref);
                local.remove(ref);
                yield removed;
            }
            case "logs" -> null;
            default -> throw new SpewException(ErrorCode.INVALID_ARGUMENT, "unknown action '" + request.action() + "'");
        };
        if (after != null) {
            return new Reply(request.id(), after, null, null, null);
        }
        try (LogReader reader = LogReader.open(local.log(ref, LogStream.valueOf(request.stream())),
                request.start())) {
            return new Reply(request.id(), null, LogSessions.read(reader, MAX_LOG_BYTES), null, null);
        }
    }

    @Override
    public synchronized void close() {
        registrations.forEach(Registration::close);
        registrations.clear();
        workers.shutdownNow();
        followed.close();
    }
}
