package io.spew.daemon.api;

import static io.spew.daemon.api.Responses.json;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.spew.SpewException;
import io.spew.build.Build;
import io.spew.build.Builds;
import io.spew.impl.json.Json;
import io.spew.trust.Trust;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;

/** {@code /api/v1/builds} and {@code /api/v1/trust}. */
final class BuildEndpoints {
    private static final System.Logger LOG = System.getLogger(BuildEndpoints.class.getName());
    private static final ObjectWriter LINE = Json.mapper().writer();

    private BuildEndpoints() {}

    static void register(RoutingHandler routes, Builds builds, Trust trust) {
        String base = ApiServer.PREFIX + "/builds";
        routes.get(base, json(exchange -> builds.list()));
        routes.post(base + "/import", exchange -> importBuild(exchange, builds));
        routes.post(base + "/create", json(exchange -> builds.create(
                Requests.body(exchange, CreateBuildRequest.class).toCreate())));
        routes.post(base + "/prune", json(exchange -> builds.prune()));
        routes.get(base + "/{ref}", json(exchange -> builds.get(Requests.path(exchange, "ref"))));
        routes.delete(base + "/{ref}", json(exchange -> {
            Build build = builds.get(Requests.path(exchange, "ref"));
            builds.remove(build.id().toString());
            return build;
        }));

        String keys = ApiServer.PREFIX + "/trust";
        routes.get(keys, json(exchange -> trust.list()));
        routes.post(keys, json(exchange -> trust.add(decode(Requests.body(exchange, AddKeyRequest.class).keyBase64()))));
        routes.delete(keys + "/{fingerprint}", json(exchange -> {
            trust.remove(Requests.path(exchange, "fingerprint"));
            return trust.list();
        }));
    }

    /**
     * Answers 200 at once, then a line of JSON per progress step, then the build or the error: an
     * import of a large archive takes a while, and the command line shows how far it got.
     */
    private static void importBuild(HttpServerExchange exchange, Builds builds) throws IOException {
        ImportBuildRequest request = Requests.body(exchange, ImportBuildRequest.class);
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/x-ndjson");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        OutputStream out = exchange.getOutputStream();
        ImportEvent last;
        try {
            Build build = builds.importBuild(request.toImport(), (read, total) -> write(out, ImportEvent.progress(read, total)));
            last = new ImportEvent(null, null, build, null);
        } catch (SpewException e) {
            last = new ImportEvent(null, null, null, ApiError.of(e));
        } catch (RuntimeException e) {
            String id = ErrorHandler.newId();
            LOG.log(System.Logger.Level.ERROR, "internal error " + id + " importing " + request.archive(), e);
            last = new ImportEvent(null, null, null, ApiError.internal(id));
        }
        write(out, last);
        out.close();
    }

    private static void write(OutputStream out, ImportEvent event) {
        try {
            out.write(LINE.writeValueAsBytes(event));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            // The client went away; the import goes on and its result stays in the store.
            LOG.log(System.Logger.Level.DEBUG, "import client gone: " + e.getMessage());
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64 == null ? "" : base64);
        } catch (IllegalArgumentException e) {
            throw new SpewException(io.spew.ErrorCode.INVALID_ARGUMENT, "keyBase64 is not base64");
        }
    }
}
