package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.cluster.ClusterInstances;
import io.spew.impl.cluster.InstanceForwarding;
import io.spew.impl.logs.LogReader;
import io.spew.impl.logs.LogStart;
import io.spew.instance.Instance;
import io.spew.instance.Instances;
import io.spew.instance.LogStream;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /api/v1/instances/{ref}/logs?stream=stdout|stderr&follow=BOOL&tail=N&since=INSTANT}: the
 * text of one output stream across its rotated files (from the last N lines, and from the time
 * {@code since}, an ISO-8601 instant), then, when following, what the instance writes next, into
 * the files that rotation starts, until the instance is no longer active and its output is all
 * sent, or the client goes away. Runs on a worker thread, which it holds only while it follows. The logs of
 * another cluster host's instance are asked of that host, the same way; a follower there polls it every
 * {@link #REMOTE_POLL} for what was written since.
 */
final class LogEndpoint implements HttpHandler {
    static final Duration REMOTE_POLL = Duration.ofMillis(250);
    private static final System.Logger LOG = System.getLogger(LogEndpoint.class.getName());

    private final Instances instances;

    LogEndpoint(Instances instances) {
        this.instances = requireNonNull(instances, "instances is null");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String ref = Requests.path(exchange, "ref");
        LogStream stream = stream(Requests.query(exchange, "stream").orElse("stdout"));
        boolean follow = Requests.booleanQuery(exchange, "follow", false);
        int tail = Requests.intQuery(exchange, "tail", -1);
        Instant since = since(Requests.query(exchange, "since").orElse(""));
        if (instances instanceof ClusterInstances cluster) {
            Optional<Instance> remote = cluster.remote(ref);
            if (remote.isPresent()) {
                remote(exchange, cluster.forwarding(), remote.get(), stream, new LogStart(tail, since), follow);
                return;
            }
        }
        Path file = instances.log(ref, stream);
        String id = instances.get(ref).id().value();
        try (LogReader reader = LogReader.open(file, new LogStart(tail, since))) {
            OutputStream out = startAnswer(exchange);
            try {
                if (!follow) {
                    reader.copyOpened(out);
                    return;
                }
                reader.copyAvailable(out);
                out.flush(); // sends the headers even when there is nothing to copy yet
                follow(exchange, reader, out, id);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "log reader of " + id + " went away: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The logs of another host's instance, asked of that host; when following, polled until it ends. */
    private static void remote(HttpServerExchange exchange, InstanceForwarding forwarding, Instance instance,
            LogStream stream, LogStart start, boolean follow) throws IOException {
        String host = instance.host();
        String id = instance.id().value();
        if (!follow) {
            String text = forwarding.logs(host, id, stream, start);
            startAnswer(exchange).write(text.getBytes(StandardCharsets.UTF_8));
            return;
        }
        String session = UUID.randomUUID().toString();
        InstanceForwarding.LogChunk chunk = forwarding.follow(host, session, id, stream, start);
        OutputStream out = startAnswer(exchange);
        ClientWatch client = new ClientWatch(exchange);
        try {
            while (true) {
                out.write(chunk.text().getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!chunk.active() && chunk.text().isEmpty() || client.isGone()) {
                    return;
                }
                if (chunk.text().isEmpty()) {
                    Thread.sleep(REMOTE_POLL.toMillis());
                }
                chunk = forwarding.follow(host, session, id, stream, start);
            }
        } catch (IOException | SpewException e) {
            LOG.log(Level.DEBUG, () -> "follower of " + id + " on host " + host + " ended: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            forwarding.endFollow(host, session);
        }
    }

    private static OutputStream startAnswer(HttpServerExchange exchange) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        return exchange.getOutputStream();
    }

    private void follow(HttpServerExchange exchange, LogReader reader, OutputStream out, String id)
            throws IOException, InterruptedException {
        ClientWatch client = new ClientWatch(exchange);
        while (!Thread.currentThread().isInterrupted()) {
            if (reader.copyAvailable(out)) {
                continue;
            }
            if (!isActive(id)) {
                // the engine has read the rest of the instance's output before it marked it ended
                reader.copyAvailable(out);
                return;
            }
            if (client.isGone()) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private boolean isActive(String id) {
        try {
            return instances.get(id).state().isActive();
        } catch (SpewException e) {
            return false;
        }
    }

    private static Instant since(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "query parameter since must be an ISO-8601 instant"
                    + " such as 2026-11-25T01:00:00Z, not '" + text + "'");
        }
    }

    private static LogStream stream(String text) {
        try {
            return LogStream.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "query parameter stream must be stdout or stderr, not '"
                    + text + "'");
        }
    }
}
