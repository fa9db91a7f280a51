package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.spew.impl.json.Json;
import io.spew.instance.Instances;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code GET /api/v1/instances}: the {@link InstanceSummary} of every instance, without null values
 * and empty maps, answered from the last list made while no instance changed since (the engine
 * announces every change) and for at most {@link #MAX_AGE_NANOS}, which bounds how stale a change
 * the engine does not announce (a removal, another host's) can be. The list is compressed and
 * tagged once ({@link EncodedJson}): many readers (panels, scrapers, {@code spew ps}) share it, and
 * one that has it already gets 304.
 */
final class InstanceListCache implements HttpHandler {
    static final long MAX_AGE_NANOS = 250_000_000L;
    private static final ObjectWriter WRITER = Json.mapper().copy()
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_EMPTY).writer();

    private final Instances instances;
    private final AtomicLong version = new AtomicLong();
    private final ReentrantLock rendering = new ReentrantLock();
    private volatile Rendered last;

    private record Rendered(long version, long madeAt, EncodedJson answer) {}

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
        answer().send(exchange);
    }

    /**
     * A handler that answers {@code GET /api/v1/instances} from the I/O thread while the list made
     * last holds (sending bytes already made never blocks), and hands everything else to
     * {@code blocking}, which runs on a worker thread (and makes the list again there).
     */
    HttpHandler fromIoThread(HttpHandler blocking) {
        requireNonNull(blocking, "blocking is null");
        String path = ApiServer.PREFIX + "/instances";
        return exchange -> {
            EncodedJson fresh = exchange.getRequestMethod().equals(Methods.GET)
                    && exchange.getRequestPath().equals(path) ? fresh() : null;
            if (fresh == null) {
                blocking.handleRequest(exchange);
            } else {
                fresh.send(exchange);
            }
        };
    }

    /** The list made last while it holds, else null. */
    private EncodedJson fresh() {
        Rendered rendered = last;
        return rendered != null && rendered.version() == version.get()
                && System.nanoTime() - rendered.madeAt() < MAX_AGE_NANOS ? rendered.answer() : null;
    }

    /**
     * The list: the last one while no instance changed and it is not too old; else made again by one
     * thread at a time. While only its age calls for a new one, the threads that find one being made
     * answer the last one meanwhile, so that many readers never make the same list side by side.
     */
    EncodedJson answer() {
        Rendered rendered = last;
        if (rendered != null && rendered.version() == version.get()) {
            if (System.nanoTime() - rendered.madeAt() < MAX_AGE_NANOS || !rendering.tryLock()) {
                return rendered.answer();
            }
        } else {
            rendering.lock();
        }
        try {
            return render();
        } finally {
            rendering.unlock();
        }
    }

    private EncodedJson render() {
        Rendered rendered = last;
        long now = System.nanoTime();
        long current = version.get();
        if (rendered != null && rendered.version() == current && now - rendered.madeAt() < MAX_AGE_NANOS) {
            return rendered.answer(); // made by the thread this one waited for
        }
        byte[] json;
        try {
            List<InstanceSummary> list = instances.list().stream().map(InstanceSummary::of).toList();
            json = WRITER.writeValueAsBytes(list);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        // unchanged since the last rendering (it was only old): its compressed form and tag hold
        EncodedJson answer = rendered != null && Arrays.equals(rendered.answer().json(), json)
                ? rendered.answer() : EncodedJson.of(json);
        last = new Rendered(current, now, answer);
        return answer;
    }
}
