package io.spew.daemon.api;

import static io.spew.daemon.api.Responses.json;

import io.spew.host.Host;
import io.spew.host.Hosts;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import io.undertow.server.RoutingHandler;

/**
 * {@code /api/v1/daemon} (status and stop), {@code /api/v1/hosts}, and {@code POST /api/v1/hosts/local/leave}
 * (this host leaves its cluster for good; the CLI then forgets the key and restarts the daemon alone).
 */
final class DaemonEndpoints {
    static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(20);

    private final DaemonControl control;

    private DaemonEndpoints(DaemonControl control) {
        this.control = control;
    }

    static void register(RoutingHandler routes, DaemonControl control, Hosts hosts) {
        DaemonEndpoints endpoints = new DaemonEndpoints(control);
        routes.get(ApiServer.PREFIX + "/daemon", json(exchange -> control.info()));
        routes.post(ApiServer.PREFIX + "/daemon/stop", json(endpoints::stop));
        routes.get(ApiServer.PREFIX + "/hosts", json(exchange -> hosts.list()));
        routes.post(ApiServer.PREFIX + "/hosts/local/leave", json(exchange -> {
            Host local = hosts.local();
            hosts.leaveCluster(LEAVE_TIMEOUT);
            return local;
        }));
    }

    /** Answers first, then stops: the stop starts once the answer has been sent. */
    private DaemonInfo stop(HttpServerExchange exchange) throws Exception {
        StopDaemonRequest request = Requests.body(exchange, StopDaemonRequest.class, new StopDaemonRequest(false));
        DaemonInfo info = control.info();
        exchange.addExchangeCompleteListener((completed, next) -> {
            try {
                control.stop(request.stopInstances());
            } finally {
                next.proceed();
            }
        });
        return info;
    }
}
