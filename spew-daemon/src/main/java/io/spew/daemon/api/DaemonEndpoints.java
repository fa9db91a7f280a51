package io.spew.daemon.api;

import static io.spew.daemon.api.Responses.json;

import io.spew.host.Hosts;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;

/** {@code /api/v1/daemon} (status and stop) and {@code /api/v1/hosts}. */
final class DaemonEndpoints {
    private final DaemonControl control;

    private DaemonEndpoints(DaemonControl control) {
        this.control = control;
    }

    static void register(RoutingHandler routes, DaemonControl control, Hosts hosts) {
        DaemonEndpoints endpoints = new DaemonEndpoints(control);
        routes.get(ApiServer.PREFIX + "/daemon", json(exchange -> control.info()));
        routes.post(ApiServer.PREFIX + "/daemon/stop", json(endpoints::stop));
        routes.get(ApiServer.PREFIX + "/hosts", json(exchange -> hosts.list()));
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
