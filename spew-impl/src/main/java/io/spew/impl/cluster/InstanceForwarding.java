package io.spew.impl.cluster;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
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
import java.util.concurrent.CompletableFuture;

/**
 * Carries an action on an instance of another host to that host and its answer back, over the cluster
 * transport (sealed with the cluster key; the owning host acts with its own rules, as for a call of its own
 * API): {@code start}, {@code stop}, {@code restart}, {@code kill}, {@code remove}, {@code logs} (the text
 * of a stream from a {@link LogStart}, at most its last {@value #MAX_LOG_BYTES} bytes), and {@code follow}
 * (each poll of a follower brings what was written since its last, see {@link LogSessions}). Requests run on
 * threads of their own, never on the transport's ({@link ClusterCalls}).
 */
@Singleton
public final class InstanceForwarding implements AutoCloseable {
    static final String REQUEST = "spew.forward";
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final int MAX_LOG_BYTES = 4 << 20;
    private static final System.Logger LOG = System.getLogger(InstanceForwarding.class.getName());

    private final LocalInstances local;
    private final ClusterCalls calls;
    private final LogSessions followed = new LogSessions();
    private final List<Registration> registrations = new ArrayList<>();

    /**
     * An action asked of the host that runs {@code ref}; for logs, the stream, where to start ({@code tail},
     * {@code since}) and the follower's session.
     */
    record Request(String action, String ref, String signal, String stream, int tail, String since, String session) {
        static Request logs(String action, String ref, LogStream stream, LogStart start, String session) {
            return new Request(action, ref, null, stream.name(), start.tail(),
                    start.since() == null ? null : start.since().toString(), session);
        }

        LogStart start() {
            return new LogStart(tail, since == null ? null : Instant.parse(since));
        }
    }

    /** Its answer: the instance after it (for a follower, before its read), or the text of its logs. */
    record Reply(Instance instance, String text) {}

    /** What a poll of a followed log brings: the text written since the last poll, and whether the instance runs. */
    public record LogChunk(String text, boolean active) {}

    @Inject
    public InstanceForwarding(LocalInstances local, ClusterTransport transport) {
        this.local = requireNonNull(local, "local is null");
        this.calls = new ClusterCalls(transport, REQUEST, TIMEOUT, this::answer);
    }

    /** Answers the requests of others and takes the answers to this host's; call before the transport starts. */
    public synchronized void open() {
        registrations.add(calls.open());
    }

    /** Asks {@code host} to act on its instance {@code ref}; returns the instance after it. */
    public Instance act(String host, String action, String ref, Signal signal) {
        return call(host, new Request(action, ref, signal == null ? null : signal.name(), null, -1, null, null))
                .instance();
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
        CompletableFuture.runAsync(() -> {
            try {
                call(host, new Request("end-follow", "-", null, null, -1, null, session));
            } catch (SpewException e) {
                LOG.log(Level.DEBUG, () -> "cannot tell host " + host + " that follower " + session + " is done: " + e);
            }
        });
    }

    private Reply call(String host, Request request) {
        byte[] answer;
        try {
            answer = calls.call(host, Json.mapper().writeValueAsBytes(request),
                    "'" + request.action() + " " + request.ref() + "'");
        } catch (SpewException e) {
            throw new SpewException(e.code(), e.getMessage() + " (on host " + host + ")", e);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.INTERNAL, "cannot ask host " + host + ": " + e.getMessage(), e);
        }
        try {
            return Json.mapper().readValue(answer, Reply.class);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.INTERNAL, "host " + host + " sent an answer that does not parse: "
                    + e.getMessage(), e);
        }
    }

    private byte[] answer(byte[] payload) throws IOException {
        return Json.mapper().writeValueAsBytes(perform(Json.mapper().readValue(payload, Request.class)));
    }

    private Reply perform(Request request) throws IOException {
        String ref = request.ref();
        switch (request.action()) {
            case "end-follow" -> {
                followed.end(request.session());
                return new Reply(null, "");
            }
            case "follow" -> {
                Instance before = local.get(ref); // its state before the read: a follower ends once it read past the end
                String text = followed.next(request.session(), local.log(ref, LogStream.valueOf(request.stream())),
                        request.start(), MAX_LOG_BYTES);
                return new Reply(before, text);
            }
            case "logs" -> {
                try (LogReader reader = LogReader.open(local.log(ref, LogStream.valueOf(request.stream())),
                        request.start())) {
                    return new Reply(null, LogSessions.read(reader, MAX_LOG_BYTES));
                }
            }
            default -> {
                return new Reply(act(request), null);
            }
        }
    }

    private Instance act(Request request) {
        String ref = request.ref();
        return switch (request.action()) {
            case "start" -> local.start(ref);
            case "stop" -> local.stop(ref);
            case "restart" -> local.restart(ref);
            case "kill" -> local.kill(ref, request.signal() == null ? null : Signal.parse(request.signal()));
            case "remove" -> {
                Instance removed = local.get(ref);
                local.remove(ref);
                yield removed;
            }
            default -> throw new SpewException(ErrorCode.INVALID_ARGUMENT, "unknown action '" + request.action() + "'");
        };
    }

    @Override
    public synchronized void close() {
        registrations.forEach(Registration::close);
        registrations.clear();
        calls.close();
        followed.close();
    }
}
