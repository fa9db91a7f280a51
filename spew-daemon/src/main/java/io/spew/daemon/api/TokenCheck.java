package io.spew.daemon.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.security.MessageDigest;

/**
 * Lets a request through only with {@code Authorization: Bearer <token>}; answers 401 otherwise.
 * The token is compared in constant time, never read from the query string and never logged.
 */
final class TokenCheck implements HttpHandler {
    private static final String PREFIX = "Bearer ";

    private final byte[] token;
    private final HttpHandler next;

    TokenCheck(String token, HttpHandler next) {
        this.token = requireNonNull(token, "token is null").getBytes(UTF_8);
        this.next = requireNonNull(next, "next is null");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (isAuthorized(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION))) {
            next.handleRequest(exchange);
            return;
        }
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
        Responses.send(exchange, 401, new ApiError(ErrorCode.UNAUTHORIZED.name(), ErrorCode.UNAUTHORIZED.number(),
                "missing or wrong API token: send 'Authorization: Bearer TOKEN' with the token in"
                        + " DATA_DIR/daemon/token", null));
    }

    private boolean isAuthorized(String header) {
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        byte[] offered = header.substring(PREFIX.length()).trim().getBytes(UTF_8);
        return MessageDigest.isEqual(token, offered);
    }
}
