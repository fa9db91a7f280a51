package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

import io.spew.SpewException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.xnio.IoUtils;

/**
 * Turns what a handler throws into a JSON error: a {@link SpewException} into its code and message,
 * anything else into {@code INTERNAL} with a random id. Stack traces go to the daemon log only.
 */
final class ErrorHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(ErrorHandler.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpHandler next;

    ErrorHandler(HttpHandler next) {
        this.next = requireNonNull(next, "next is null");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        try {
            next.handleRequest(exchange);
        } catch (Exception | Error e) {
            fail(exchange, e);
        }
    }

    private static void fail(HttpServerExchange exchange, Throwable failure) {
        String request = exchange.getRequestMethod() + " " + exchange.getRequestPath();
        ApiError error;
        int status;
        if (failure instanceof SpewException) {
            SpewException exception = (SpewException) failure;
            status = Responses.status(exception);
            error = ApiError.of(exception);
            if (status >= 500) {
                LOG.log(Level.WARNING, request + ": " + exception.userMessage(), exception);
            } else {
                LOG.log(Level.DEBUG, () -> request + ": " + exception.userMessage());
            }
        } else {
            String id = newId();
            status = 500;
            error = ApiError.internal(id);
            LOG.log(Level.ERROR, "internal error " + id + " on " + request, failure);
        }
        if (exchange.isResponseStarted()) {
            // the answer is half sent: the client sees a cut stream, not a second answer
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        Responses.send(exchange, status, error);
    }

    /** A random id to find an internal error in the daemon log by. */
    static String newId() {
        return HexFormat.of().formatHex(randomBytes());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
