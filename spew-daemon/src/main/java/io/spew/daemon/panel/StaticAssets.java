package io.spew.daemon.panel;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The panel's stylesheet and script, read from the jar once, by fixed name: a request names one of
 * them or gets 404, so no path reaches a file.
 */
final class StaticAssets {
    private static final Map<String, String> TYPES = Map.of(
            "panel.css", "text/css; charset=utf-8",
            "panel.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> contents;

    private StaticAssets(Map<String, byte[]> contents) {
        this.contents = contents;
    }

    static StaticAssets load() {
        return new StaticAssets(Map.of("panel.css", read("panel.css"), "panel.js", read("panel.js")));
    }

    void send(HttpServerExchange exchange, String name) {
        byte[] bytes = contents.get(name);
        if (bytes == null) {
            PanelErrors.notFound(exchange);
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TYPES.get(name));
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.setResponseContentLength(bytes.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the panel asset " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
