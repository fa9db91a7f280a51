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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * API): {@code start}, {@code stop}, {@code restart}, {@code kill}, {@code remove}, and {@code logs} (the text
 * of a stream, from the last lines asked, at most {@value #MAX_LOG_BYTES} bytes). Requests run on threads of
 * their own, never on the transport's.
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
    private final List<Registration> registrations = new ArrayList<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "spew-forwarded");
        thread.setDaemon(true);
        return thread;
    });

    /** An action asked of the host that runs {@code ref}. */
    record Request(String id, String action, String ref, String signal, String stream, int tail) {}

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
                signal == null ? null : signal.name(), null, -1)).instance();
    }

    /** The text of an output stream of {@code host}'s instance {@code ref}, from its last {@code tail} lines. */
    public String logs(String host, String ref, LogStream stream, int tail) {
        return call(host, new Request(UUID.randomUUID().toString(), "logs", ref, null, stream.name(), tail)).text();
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
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (LogReader reader = LogReader.open(local.log(ref, LogStream.valueOf(request.stream())),
                new LogStart(request.tail(), null))) {
            while (reader.copyAvailable(text) && text.size() < 2 * MAX_LOG_BYTES) {
                // on to the end of what is written now
            }
        }
        byte[] bytes = text.toByteArray();
        int from = Math.max(0, bytes.length - MAX_LOG_BYTES);
        return new Reply(request.id(), null, new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8),
                null, null);
    }

    @Override
    public synchronized void close() {
        registrations.forEach(Registration::close);
        registrations.clear();
        workers.shutdownNow();
    }
}
