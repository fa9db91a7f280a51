package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.impl.json.Json;
import io.spew.build.Builds;
import io.spew.environment.Environments;
import io.spew.instance.InstanceEvent;
import io.spew.instance.Instances;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.xnio.IoUtils;
import org.xnio.Options;
import org.xnio.XnioExecutor;

/**
 * {@code GET /api/v1/events?instance=NAME&appliance=NAME&buffer=N}: the changes of the instances
 * and the steps of rolls as newline-delimited JSON, one {@link InstanceEvent} or {@link RollEvent}
 * a line, each sent as it happens, until the client goes away or the daemon stops. {@code instance}
 * (a name or an id) keeps only the events of one instance (no roll events), {@code appliance} only
 * those of one appliance (its instances' and its rolls). Without either, the steps of fetching builds from
 * other hosts come too ({@link BuildEvent}).
 *
 * <p>The engine never waits for a client: each has a queue of at most {@code buffer} events
 * (default {@value #DEFAULT_BUFFER}). A client that lets it fill is cut off: what was queued is
 * sent, then one {@link EventsDropped} line, and the stream ends. A client that reads nothing at all
 * is disconnected {@link #CUT_OFF_GRACE} after its queue filled. Each stream holds a worker thread,
 * so at most {@value #MAX_STREAMS} are served at once.
 */
final class EventEndpoint implements HttpHandler, AutoCloseable {
    static final int MAX_STREAMS = 8;
    static final int DEFAULT_BUFFER = 4096;
    static final int MAX_BUFFER = 65536;
    static final Duration CUT_OFF_GRACE = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger(EventEndpoint.class.getName());
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final String NDJSON = "application/x-ndjson";
    private static final int SEND_BUFFER_BYTES = 32 * 1024;

    private final Instances instances;
    private final Environments environments;
    private final Builds builds;
    private final AtomicInteger streams = new AtomicInteger();
    private volatile boolean closed;

    private EventEndpoint(Instances instances, Environments environments, Builds builds) {
        this.instances = requireNonNull(instances, "instances is null");
        this.environments = requireNonNull(environments, "environments is null");
        this.builds = requireNonNull(builds, "builds is null");
    }

    /** Serves {@code /api/v1/events}; closing the endpoint ends its streams. */
    static EventEndpoint register(RoutingHandler routes, Instances instances, Environments environments,
            Builds builds) {
        EventEndpoint endpoint = new EventEndpoint(instances, environments, builds);
        routes.get(ApiServer.PREFIX + "/events", endpoint);
        return endpoint;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Predicate<Object> filter = filter(Requests.query(exchange, "instance"),
                Requests.query(exchange, "appliance"));
        int buffer = Requests.intQuery(exchange, "buffer", DEFAULT_BUFFER);
        if (buffer < 1 || buffer > MAX_BUFFER) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "query parameter buffer must be 1 to " + MAX_BUFFER
                    + ", not " + buffer);
        }
        if (closed) {
            throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "the daemon is stopping: no new event streams");
        }
        if (streams.incrementAndGet() > MAX_STREAMS) {
            streams.decrementAndGet();
            throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "the daemon already serves " + MAX_STREAMS
                    + " event streams: end one (each 'spew events' holds one) and try again");
        }
        try {
            serve(exchange, filter, buffer);
        } finally {
            streams.decrementAndGet();
        }
    }

    private void serve(HttpServerExchange exchange, Predicate<Object> filter, int buffer) {
        CutOff cutOff = new CutOff(exchange);
        EventQueue queue = new EventQueue(buffer, filter, cutOff::schedule);
        boundSendBuffer(exchange);
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, NDJSON);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        OutputStream out = exchange.getOutputStream();
        try (Registration changes = instances.onEvent(queue::offer);
                Registration rolls = environments.onRollProgress(progress -> queue.offer(RollEvent.of(progress)));
                Registration fetches = builds.onFetch(step -> queue.offer(BuildEvent.of(step)))) {
            out.flush(); // the headers: the client knows it is subscribed
            stream(exchange, queue, out, buffer);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "an event reader went away: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            cutOff.cancel();
        }
    }

    private void stream(HttpServerExchange exchange, EventQueue queue, OutputStream out, int buffer)
            throws IOException, InterruptedException {
        ClientWatch client = new ClientWatch(exchange);
        List<Object> batch = new ArrayList<>();
        while (!closed) {
            Object first = queue.poll(POLL);
            if (first == null) {
                if (queue.dropped() > 0) {
                    dropped(exchange, queue.dropped(), out, buffer);
                    return;
                }
                if (client.isGone()) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch);
            for (Object event : batch) {
                writeLine(out, event);
            }
            out.flush();
            batch.clear();
        }
    }

    /**
     * Keeps the kernel from holding megabytes of events for a client that does not read (its send
     * buffer would grow to {@code tcp_wmem}'s maximum): the queue, bounded, is where events wait.
     */
    private static void boundSendBuffer(HttpServerExchange exchange) {
        try {
            exchange.getConnection().setOption(Options.SEND_BUFFER, SEND_BUFFER_BYTES);
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.DEBUG, () -> "cannot bound the send buffer of an event stream: " + e.getMessage());
        }
    }

    private static void dropped(HttpServerExchange exchange, long dropped, OutputStream out, int buffer)
            throws IOException {
        LOG.log(Level.WARNING, "an event reader at " + exchange.getSourceAddress() + " did not keep up: "
                + dropped + " events dropped, its stream ended");
        exchange.setPersistent(false);
        writeLine(out, new EventsDropped(dropped, dropped + " events were dropped because this reader did not"
                + " keep up (" + buffer + " may wait): read faster, or ask for more with ?buffer=N (up to "
                + MAX_BUFFER + "), then follow again"));
        out.flush();
    }

    private static void writeLine(OutputStream out, Object value) throws IOException {
        out.write(Json.mapper().writeValueAsBytes(value));
        out.write('\n');
    }

    private static Predicate<Object> filter(Optional<String> instance, Optional<String> appliance) {
        Predicate<Object> filter = event -> true;
        if (instance.isPresent() && !instance.get().isEmpty()) {
            String ref = instance.get();
            filter = filter.and(event -> event instanceof InstanceEvent change
                    && (change.name().equals(ref) || change.instance().value().equals(ref)));
        }
        if (appliance.isPresent() && !appliance.get().isEmpty()) {
            String name = appliance.get();
            filter = filter.and(event -> event instanceof InstanceEvent change ? change.appliance().equals(name)
                    : event instanceof RollEvent roll && roll.appliance().equals(name));
        }
        return filter;
    }

    /** Ends every stream (each after its current write) and waits a little for them to end. */
    @Override
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (streams.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Disconnects a client that let its queue fill, after a grace in which it may still read what
     * was queued and the last line. Scheduled from the engine's thread onto the connection's I/O
     * thread, which closes the socket: that also frees a worker blocked writing to a client that
     * reads nothing.
     */
    private static final class CutOff {
        private final HttpServerExchange exchange;
        private XnioExecutor.Key key;
        private boolean cancelled;

        CutOff(HttpServerExchange exchange) {
            this.exchange = exchange;
        }

        synchronized void schedule() {
            if (!cancelled) {
                key = exchange.getIoThread().executeAfter(this::disconnect, CUT_OFF_GRACE.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }

        private void disconnect() {
            LOG.log(Level.WARNING, "disconnected an event reader at " + exchange.getSourceAddress() + ": it read"
                    + " nothing for " + CUT_OFF_GRACE.toSeconds() + " s after its queue filled");
            IoUtils.safeClose(exchange.getConnection());
        }

        synchronized void cancel() {
            cancelled = true;
            if (key != null) {
                key.remove();
            }
        }
    }
}
