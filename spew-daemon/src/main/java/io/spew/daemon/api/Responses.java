package io.spew.daemon.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.json.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** Writing JSON answers. */
final class Responses {
    static final String JSON = "application/json";

    private Responses() {}

    /** A handler that answers 200 with what {@code endpoint} returns, as JSON. */
    static HttpHandler json(Endpoint endpoint) {
        return exchange -> send(exchange, 200, endpoint.handle(exchange));
    }

    static void send(HttpServerExchange exchange, int status, Object body) {
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        sendJson(exchange, status, bytes);
    }

    /** Answers JSON already written. */
    static void sendJson(HttpServerExchange exchange, int status, byte[] bytes) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.setResponseContentLength(bytes.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    /** The HTTP status of an error: by its exit code (2: 400, 3: 404, 4: 503, 5: 500). */
    static int status(SpewException exception) {
        if (exception.code() == ErrorCode.UNAUTHORIZED) {
            return 401;
        }
        switch (exception.code().exitCode()) {
            case 2:
                return 400;
            case 3:
                return 404;
            case 4:
                return 503;
            default:
                return 500;
        }
    }
}
