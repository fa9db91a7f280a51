package io.spew.daemon.api;

import static io.spew.daemon.api.Responses.json;

import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.Instances;
import io.spew.instance.RunRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;

/** {@code /api/v1/instances}: list, run, start, stop, restart, kill and remove instances. */
final class InstanceEndpoints {
    private final Instances instances;

    private InstanceEndpoints(Instances instances) {
        this.instances = instances;
    }

    /** Registers the routes; answers the list of instances, which the server may also serve from its I/O threads. */
    static InstanceListCache register(RoutingHandler routes, Instances instances) {
        InstanceEndpoints endpoints = new InstanceEndpoints(instances);
        String base = ApiServer.PREFIX + "/instances";
        String one = base + "/{ref}";
        InstanceListCache list = new InstanceListCache(instances);
        routes.get(base, list);
        routes.post(base, json(exchange -> instances.run(Requests.body(exchange, RunRequest.class))));
        routes.get(one, json(exchange -> instances.get(ref(exchange))));
        routes.post(one + "/start", json(exchange -> instances.start(ref(exchange))));
        routes.post(one + "/stop", json(exchange -> instances.stop(ref(exchange))));
        routes.post(one + "/restart", json(exchange -> instances.restart(ref(exchange))));
        routes.post(one + "/kill", json(endpoints::kill));
        routes.delete(one, json(exchange -> {
            Instance removed = endpoints.remove(exchange);
            list.invalidate();
            return removed;
        }));
        routes.get(one + "/logs", new LogEndpoint(instances));
        return list;
    }

    private Instance kill(HttpServerExchange exchange) throws Exception {
        KillRequest request = Requests.body(exchange, KillRequest.class, new KillRequest(null));
        return instances.kill(ref(exchange), request.signal());
    }

    /** Removes an instance and answers its last snapshot; {@code force=true} stops it first. */
    private Instance remove(HttpServerExchange exchange) {
        String ref = ref(exchange);
        Instance instance = instances.get(ref);
        if (Requests.booleanQuery(exchange, "force", false) && mayRun(instance.state())) {
            instance = instances.stop(ref);
        }
        instances.remove(instance.id().value());
        return instance;
    }

    private static boolean mayRun(InstanceState state) {
        return state.isActive() || state == InstanceState.RESTARTING;
    }

    private static String ref(HttpServerExchange exchange) {
        return Requests.path(exchange, "ref");
    }
}
