package io.spew.daemon.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.spew.Spew;
import io.spew.build.Build;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /metrics} in Prometheus' text format: instances by state and by health, restarts,
 * the bytes of imported builds, and the request latency of {@link RequestMetrics}.
 */
public final class MetricsEndpoint implements HttpHandler {
    private final Spew spew;
    private final RequestMetrics requests;

    public MetricsEndpoint(Spew spew, RequestMetrics requests) {
        this.spew = requireNonNull(spew, "spew is null");
        this.requests = requireNonNull(requests, "requests is null");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        byte[] body = render().getBytes(UTF_8);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.setResponseContentLength(body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    String render() {
        List<Instance> instances = spew.instances().list();
        Map<String, Long> byState = new TreeMap<>();
        for (InstanceState state : InstanceState.values()) {
            byState.put(state.toString(), 0L);
        }
        Map<String, Long> byHealth = new TreeMap<>();
        long restarts = 0;
        for (Instance instance : instances) {
            byState.merge(instance.state().toString(), 1L, Long::sum);
            byHealth.merge(instance.health(), 1L, Long::sum);
            restarts += instance.restarts();
        }
        StringBuilder out = new StringBuilder(4096);
        gauge(out, "spew_instances", "Instances of this daemon by state.", "state", byState);
        gauge(out, "spew_instances_by_health", "Instances of this daemon by health.", "health", byHealth);
        out.append("# HELP spew_instance_restarts Restarts of the instances there are now, added up.\n")
                .append("# TYPE spew_instance_restarts gauge\n")
                .append("spew_instance_restarts ").append(restarts).append('\n');
        long archive = 0;
        long unpacked = 0;
        List<Build> builds = spew.builds().list();
        for (Build build : builds) {
            archive += build.archiveBytes();
            unpacked += build.unpackedBytes();
        }
        out.append("# HELP spew_builds Builds in the store.\n# TYPE spew_builds gauge\nspew_builds ")
                .append(builds.size()).append('\n');
        out.append("# HELP spew_build_import_bytes Bytes of the builds imported: archives and what they unpacked to.\n")
                .append("# TYPE spew_build_import_bytes gauge\n")
                .append("spew_build_import_bytes{kind=\"archive\"} ").append(archive).append('\n')
                .append("spew_build_import_bytes{kind=\"unpacked\"} ").append(unpacked).append('\n');
        requests.write(out);
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, String label, Map<String, Long> values) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        values.forEach((key, value) -> out.append(name).append('{').append(label).append("=\"")
                .append(key.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append("\"} ")
                .append(value).append('\n'));
    }
}
