package io.spew.daemon.api;

import static io.spew.daemon.api.Responses.json;

import io.spew.appliance.Appliances;
import io.undertow.server.RoutingHandler;

/** {@code /api/v1/appliances}: list, show, explain and apply appliances. */
final class ApplianceEndpoints {
    private ApplianceEndpoints() {}

    static void register(RoutingHandler routes, Appliances appliances) {
        String base = ApiServer.PREFIX + "/appliances";
        routes.get(base, json(exchange -> appliances.list()));
        routes.get(base + "/{name}", json(exchange -> appliances.get(Requests.path(exchange, "name"))));
        routes.get(base + "/{name}/explain", json(exchange -> appliances.explain(Requests.path(exchange, "name"))));
        routes.post(base, json(exchange -> {
            ApplyRequest request = Requests.body(exchange, ApplyRequest.class);
            return appliances.apply(request.source(), request.content());
        }));
        routes.post(base + "/all", json(exchange -> {
            ApplyRequest request = Requests.body(exchange, ApplyRequest.class);
            return appliances.applyAll(request.source(), request.content());
        }));
    }
}
