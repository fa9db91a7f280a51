package io.spew.impl.cluster;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.spi.cluster.ClusterTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
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
 * Calls between hosts over the cluster transport: a request on a topic, its answer on {@code <topic>.reply},
 * matched by a call id. Each frame is the call id, an error code and message (empty when none), then the payload
 * as it is. Requests are answered on threads of their own, never on the transport's; a {@link SpewException} of
 * the answering host reaches the caller with its code, naming that host.
 */
final class ClusterCalls implements AutoCloseable {
    /** Answers one request of another host. */
    @FunctionalInterface
    interface Handler {
        byte[] answer(byte[] request) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(ClusterCalls.class.getName());
    private static final int MAX_MESSAGE_CHARS = 4000;

    private final ClusterTransport transport;
    private final String topic;
    private final Duration timeout;
    private final Handler handler;
    private final Map<String, CompletableFuture<Frame>> waiting = new ConcurrentHashMap<>();
    private final ExecutorService workers;

    private record Frame(String id, String error, String message, byte[] payload) {}

    ClusterCalls(ClusterTransport transport, String topic, Duration timeout, Handler handler) {
        this.transport = requireNonNull(transport, "transport is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.handler = requireNonNull(handler, "handler is null");
        this.workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "spew-" + topic);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Answers the requests of others and takes the answers to this host's; call before the transport starts. */
    Registration open() {
        Registration requests = transport.onMessage(topic, (from, payload) -> workers.execute(() -> answer(from, payload)));
        Registration replies = transport.onMessage(topic + ".reply", (from, payload) -> {
            try {
                Frame frame = decode(payload);
                CompletableFuture<Frame> future = waiting.remove(frame.id());
                if (future != null) {
                    future.complete(frame);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "host " + from + " sent an answer on " + topic + " that does not parse: " + e);
            }
        });
        return () -> {
            requests.close();
            replies.close();
        };
    }

    /** Asks {@code host}; returns its answer or throws its error ({@code what}: the request, as a timeout names it). */
    byte[] call(String host, byte[] request, String what) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<Frame> future = new CompletableFuture<>();
        waiting.put(id, future);
        try {
            transport.send(host, topic, encode(new Frame(id, "", "", request)));
            Frame reply = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!reply.error().isEmpty()) {
                throw new SpewException(errorCode(reply.error()), reply.message());
            }
            return reply.payload();
        } catch (ExecutionException e) {
            throw new SpewException(ErrorCode.INTERNAL, "cannot ask host " + host + ": " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "host " + host + " did not answer " + what
                    + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpewException(ErrorCode.INTERNAL, "interrupted while waiting for host " + host);
        } finally {
            waiting.remove(id);
        }
    }

    private void answer(String from, byte[] payload) {
        Frame reply;
        try {
            Frame request = decode(payload);
            try {
                reply = new Frame(request.id(), "", "", handler.answer(request.payload()));
            } catch (SpewException e) {
                reply = new Frame(request.id(), e.code().name(), e.getMessage(), new byte[0]);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot answer host " + from + " on " + topic, e);
                reply = new Frame(request.id(), ErrorCode.INTERNAL.name(), "it could not answer: " + e, new byte[0]);
            }
            transport.send(from, topic + ".reply", encode(reply));
        } catch (IOException | SpewException e) {
            LOG.log(Level.DEBUG, () -> "cannot answer host " + from + " on " + topic + ": " + e.getMessage());
        }
    }

    private static ErrorCode errorCode(String name) {
        try {
            return ErrorCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return ErrorCode.INTERNAL;
        }
    }

    private static byte[] encode(Frame frame) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(frame.payload().length + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(frame.id());
            out.writeUTF(frame.error());
            String message = frame.message() == null ? "" : frame.message();
            out.writeUTF(message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message);
            out.write(frame.payload());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    private static Frame decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        return new Frame(in.readUTF(), in.readUTF(), in.readUTF(), in.readAllBytes());
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
