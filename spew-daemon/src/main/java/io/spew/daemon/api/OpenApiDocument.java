package io.spew.daemon.api;

import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** {@code GET /api/v1/openapi.json}: the OpenAPI document of the API, kept next to this class. */
final class OpenApiDocument {
    static final String RESOURCE = "openapi.json";

    private OpenApiDocument() {}

    static HttpHandler handler() {
        byte[] document = read();
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Responses.JSON);
            exchange.setResponseContentLength(document.length);
            exchange.getResponseSender().send(ByteBuffer.wrap(document));
        };
    }

    static byte[] read() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the API document " + RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
