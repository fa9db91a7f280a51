package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spew.impl.json.Json;
import io.spew.instance.Instances;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /api/v1/instances}, answered from the JSON of the last list while no instance changed
 * since (the engine announces every change) and for at most {@link #MAX_AGE_NANOS}, which bounds
 * how stale a change the engine does not announce (a removal, another host's) can be. With 1000
 * instances the list is 750 KiB of JSON: many readers (panels, scrapers) share one rendering.
 */
final class InstanceListCache implements HttpHandler {
    static final long MAX_AGE_NANOS = 250_000_000L;

    private final Instances instances;
    private final AtomicLong version = new AtomicLong();
    private volatile Rendered last;

    private record Rendered(long version, long madeAt, byte[] json) {}

    InstanceListCache(Instances instances) {
        this.instances = requireNonNull(instances, "instances is null");
        instances.onChange(instance -> version.incrementAndGet());
    }

    /** Forgets the rendered list: the API changed an instance in a way the engine may not announce. */
    void invalidate() {
        version.incrementAndGet();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Responses.sendJson(exchange, 200, json());
    }

    byte[] json() {
        Rendered rendered = last;
        long now = System.nanoTime();
        long current = version.get();
        if (rendered != null && rendered.version() == current && now - rendered.madeAt() < MAX_AGE_NANOS) {
            return rendered.json();
        }
        byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(instances.list());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        last = new Rendered(current, now, json);
        return json;
    }
}
