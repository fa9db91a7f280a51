package io.spew.daemon.api;

import static io.spew.daemon.api.Responses.json;
import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Spew;
import io.spew.SpewException;
import io.spew.daemon.ListenAddress;
import io.spew.daemon.metrics.MetricsEndpoint;
import io.spew.daemon.metrics.RequestMetrics;
import io.spew.daemon.panel.PanelHandler;
import io.spew.daemon.panel.PanelLogin;
import io.spew.daemon.panel.PanelSessions;
import io.spew.daemon.panel.RequestGuard;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.RedirectHandler;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.time.Clock;

/**
 * The Undertow server of the JSON API. Its thread pools are small and fixed (2 I/O threads, 16
 * workers) whatever the number of instances: no thread belongs to an instance.
 */
public final class ApiServer implements AutoCloseable {
    /** The path every API route starts with. */
    public static final String PREFIX = "/api/v1";

    static final int IO_THREADS = 2;
    static final int WORKER_THREADS = 16;
    private static final int SHUTDOWN_TIMEOUT_MILLIS = 5000;

    private final Undertow undertow;
    private final ListenAddress address;
    private final EventEndpoint events;

    private ApiServer(Undertow undertow, ListenAddress address, EventEndpoint events) {
        this.undertow = undertow;
        this.address = address;
        this.events = events;
    }

    /**
     * Binds {@code listen} and serves the API of {@code spew} to requests carrying {@code token}.
     * A port that cannot be bound throws {@code DAEMON_UNAVAILABLE}.
     */
    public static ApiServer start(Spew spew, ListenAddress listen, String token, DaemonControl control) {
        requireNonNull(spew, "spew is null");
        requireNonNull(control, "control is null");
        RoutingHandler routes = new RoutingHandler(false);
        EventEndpoint events = EventEndpoint.register(routes, spew.instances(), spew.environments(),
                spew.builds());
        Undertow undertow = Undertow.builder()
                .addHttpListener(listen.port(), listen.host())
                .setIoThreads(IO_THREADS)
                .setWorkerThreads(WORKER_THREADS)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, (long) Requests.MAX_BODY_BYTES)
                .setServerOption(UndertowOptions.SHUTDOWN_TIMEOUT, SHUTDOWN_TIMEOUT_MILLIS)
                .setHandler(handler(routes, spew, token, control))
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            stopQuietly(undertow);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "cannot listen on " + listen + ": "
                    + cause.getMessage() + "; choose another address with --listen or SPEW_LISTEN"
                    + " (127.0.0.1:0 picks a free port)", e);
        }
        InetSocketAddress bound = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        return new ApiServer(undertow, ListenAddress.of(bound), events);
    }

    private static void stopQuietly(Undertow undertow) {
        try {
            undertow.stop();
        } catch (RuntimeException e) {
            // it did not start: there is nothing to stop
        }
    }

    private static HttpHandler handler(RoutingHandler routes, Spew spew, String token, DaemonControl control) {
        DaemonEndpoints.register(routes, control, spew.hosts());
        ApplianceEndpoints.register(routes, spew.appliances());
        InstanceListCache list = InstanceEndpoints.register(routes, spew.instances());
        EnvironmentEndpoints.register(routes, spew.environments(), spew.services());
        BuildEndpoints.register(routes, spew.builds(), spew.trust());
        routes.setFallbackHandler(exchange -> Responses.send(exchange, 404, new ApiError(ErrorCode.NOT_FOUND.name(),
                ErrorCode.NOT_FOUND.number(), "no such API path: " + exchange.getRequestPath(), null)));
        routes.setInvalidMethodHandler(exchange -> Responses.send(exchange, 405, new ApiError(
                ErrorCode.INVALID_ARGUMENT.name(), ErrorCode.INVALID_ARGUMENT.number(),
                exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath(), null)));
        PanelSessions sessions = new PanelSessions(Clock.systemUTC());
        routes.post(PREFIX + "/panel/logins", json(exchange -> PanelLogin.create(sessions,
                exchange.getRequestHeaders().getFirst(Headers.HOST))));
        routes.get(PREFIX + "/openapi.json", OpenApiDocument.handler());
        HttpHandler api = new BlockingHandler(new ErrorHandler(routes));
        // the panel answers under /panel with its session; everything else needs the API token
        PathHandler paths = new PathHandler(new TokenCheck(token, list.fromIoThread(api)))
                .addPrefixPath("/panel", new PanelHandler(spew, sessions, api))
                .addExactPath("/", new RedirectHandler("/panel/"));
        RequestMetrics timing = new RequestMetrics(paths);
        paths.addExactPath("/metrics", new TokenCheck(token, new BlockingHandler(new MetricsEndpoint(spew, timing))));
        return new RequestGuard(RequestGuard.configuredNames(), timing);
    }

    /** The address actually bound (the kernel's choice when port 0 was asked). */
    public ListenAddress address() {
        return address;
    }

    /** Ends the event streams, stops accepting and waits (bounded) for the answers under way. */
    @Override
    public void close() {
        events.close();
        undertow.stop();
    }
}
