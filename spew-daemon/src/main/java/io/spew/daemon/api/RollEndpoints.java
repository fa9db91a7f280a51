package io.spew.daemon.api;

import static io.spew.daemon.api.Responses.json;

import io.spew.environment.Environments;
import io.spew.environment.StartOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Versions and rolls of the appliances of environments: {@code GET /api/v1/appliances/NAME/history},
 * {@code POST /api/v1/appliances/NAME/rollback|promote|restart}, and {@code GET /api/v1/rolls?after=N}:
 * the last {@value #KEPT} steps of rolls, after sequence {@code N} (0 for all), to follow a roll live. In a cluster
 * the versions are the cluster's, a rollback, promotion or restart rolls every host's instances of the appliance,
 * and the steps are every host's, each with its host.
 */
final class RollEndpoints {
    static final int KEPT = 1000;

    private final Environments environments;
    private final Deque<RollEntry> log = new ArrayDeque<>();
    private long sequence;

    private RollEndpoints(Environments environments) {
        this.environments = environments;
    }

    static void register(RoutingHandler routes, Environments environments) {
        RollEndpoints endpoints = new RollEndpoints(environments);
        environments.onRollProgress(progress -> endpoints.add(progress));
        String base = ApiServer.PREFIX + "/appliances";
        String one = base + "/{ref}";
        routes.get(one + "/history", json(exchange -> environments.history(name(exchange))));
        routes.post(one + "/rollback", json(exchange -> {
            RollbackRequest request = Requests.body(exchange, RollbackRequest.class, new RollbackRequest(null, null));
            return environments.rollback(name(exchange), request.version(), options(request));
        }));
        routes.post(one + "/promote", json(exchange -> {
            RollbackRequest request = Requests.body(exchange, RollbackRequest.class, new RollbackRequest(null, null));
            return environments.promote(name(exchange), options(request));
        }));
        routes.post(one + "/restart", json(exchange -> {
            environments.restart(name(exchange));
            return environments.history(name(exchange));
        }));
        routes.get(ApiServer.PREFIX + "/rolls", json(exchange -> endpoints.after(Requests.intQuery(exchange, "after", 0))));
    }

    private synchronized void add(io.spew.environment.RollProgress progress) {
        log.addLast(new RollEntry(++sequence, progress));
        while (log.size() > KEPT) {
            log.removeFirst();
        }
    }

    private synchronized List<RollEntry> after(long after) {
        return log.stream().filter(entry -> entry.sequence() > after).toList();
    }

    private static StartOptions options(RollbackRequest request) {
        return new StartOptions(null, false, request.user());
    }

    private static String name(HttpServerExchange exchange) {
        return Requests.path(exchange, "ref");
    }
}
