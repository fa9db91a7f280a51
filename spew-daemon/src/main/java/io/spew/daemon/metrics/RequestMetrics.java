package io.spew.daemon.metrics;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Times every request the daemon answers, in a histogram per area ({@code api}, {@code panel},
 * {@code other}) and method: a few labels whatever the paths, so it never grows with instances.
 */
public final class RequestMetrics implements HttpHandler {
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final ConcurrentMap<String, Histogram> histograms = new ConcurrentHashMap<>();
    private final HttpHandler next;

    /** Times the requests {@code next} answers. */
    public RequestMetrics(HttpHandler next) {
        this.next = requireNonNull(next, "next is null");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long start = System.nanoTime();
        String key = area(exchange.getRequestPath()) + "\u0000"
                + exchange.getRequestMethod().toString().toUpperCase(Locale.ROOT);
        exchange.addExchangeCompleteListener((completed, nextListener) -> {
            try {
                histograms.computeIfAbsent(key, ignored -> new Histogram()).observe(System.nanoTime() - start);
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }

    /** Appends the histograms in Prometheus' text format. */
    void write(StringBuilder out) {
        out.append("# HELP spew_http_request_duration_seconds Time to answer a request, by area and method.\n");
        out.append("# TYPE spew_http_request_duration_seconds histogram\n");
        histograms.entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(entry -> {
            String[] parts = entry.getKey().split("\u0000");
            String labels = "area=\"" + parts[0] + "\",method=\"" + parts[1] + "\"";
            entry.getValue().write(out, labels);
        });
    }

    private static String area(String path) {
        if (path.startsWith("/api/")) {
            return "api";
        }
        if (path.startsWith("/panel")) {
            return "panel";
        }
        return path.equals("/metrics") ? "metrics" : "other";
    }

    /** Counts per bucket, a count and a sum in nanoseconds. */
    private static final class Histogram {
        private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length);
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong sumNanos = new AtomicLong();

        void observe(long nanos) {
            double seconds = nanos / 1e9;
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    buckets.incrementAndGet(i);
                    break;
                }
            }
            count.incrementAndGet();
            sumNanos.addAndGet(nanos);
        }

        void write(StringBuilder out, String labels) {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += buckets.get(i);
                out.append("spew_http_request_duration_seconds_bucket{").append(labels).append(",le=\"")
                        .append(BUCKETS[i]).append("\"} ").append(cumulative).append('\n');
            }
            long total = count.get();
            out.append("spew_http_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ")
                    .append(total).append('\n');
            out.append("spew_http_request_duration_seconds_sum{").append(labels).append("} ")
                    .append(sumNanos.get() / 1e9).append('\n');
            out.append("spew_http_request_duration_seconds_count{").append(labels).append("} ").append(total)
                    .append('\n');
        }
    }
}
