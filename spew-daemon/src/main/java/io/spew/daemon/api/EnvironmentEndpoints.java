package io.spew.daemon.api;

import static io.spew.daemon.api.Responses.json;

import io.spew.environment.Environments;
import io.spew.environment.StartOptions;
import io.spew.service.Services;
import io.undertow.server.RoutingHandler;

/**
 * {@code /api/v1/environments}: plan, start (converge) and stop environment files, and list the
 * desired states; {@code /api/v1/services}: the service catalog.
 */
final class EnvironmentEndpoints {
    private EnvironmentEndpoints() {}

    static void register(RoutingHandler routes, Environments environments, Services services) {
        String base = ApiServer.PREFIX + "/environments";
        routes.get(base, json(exchange -> environments.list()));
        routes.post(base + "/plan", json(exchange -> {
            EnvironmentRequest request = Requests.body(exchange, EnvironmentRequest.class);
            return environments.plan(request.files(), request.environment());
        }));
        routes.post(base + "/start", json(exchange -> {
            EnvironmentRequest request = Requests.body(exchange, EnvironmentRequest.class);
            return environments.start(request.files(), request.environment(),
                    new StartOptions(request.timeout(), request.waitHealthy(), request.user()));
        }));
        routes.post(base + "/stop", json(exchange -> {
            EnvironmentRequest request = Requests.body(exchange, EnvironmentRequest.class);
            return environments.stop(request.files(), request.environment(), request.remove());
        }));
        routes.get(ApiServer.PREFIX + "/services", json(exchange -> services.list()));
        RollEndpoints.register(routes, environments);
    }
}
