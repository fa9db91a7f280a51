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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries an action on an instance of another host to that host and its answer back, over the cluster
 * transport (sealed with the cluster key; the owning host acts with its own rules, as for a call of its own
 * API): {@code start}, {@code stop}, {@code restart}, {@code kill}, {@code remove}, and {@code logs} (the text
 * of a stream, from the last lines asked, at most {@value #MAX_LOG_BYTES} bytes). Requests run on threads of
 * their own, never on the transport's ({@link ClusterCalls}).
 */
@Singleton
public final class InstanceForwarding implements AutoCloseable {
    static final String REQUEST = "spew.forward";
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final int MAX_LOG_BYTES = 4 << 20;

    private final LocalInstances local;
    private final ClusterCalls calls;
    private final List<Registration> registrations = new ArrayList<>();

    /** An action asked of the host that runs {@code ref}. */
    record Request(String action, String ref, String signal, String stream, int tail) {}

    /** Its answer: the instance after it, or the text of its logs. */
    record Reply(Instance instance, String text) {}

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
        return call(host, new Request(action, ref, signal == null ? null : signal.name(), null, -1)).instance();
    }

    /** The text of an output stream of {@code host}'s instance {@code ref}, from its last {@code tail} lines. */
    public String logs(String host, String ref, LogStream stream, int tail) {
        return call(host, new Request("logs", ref, null, stream.name(), tail)).text();
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
            return new Reply(after, null);
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
        return new Reply(null, new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void close() {
        registrations.forEach(Registration::close);
        registrations.clear();
        calls.close();
    }
}
