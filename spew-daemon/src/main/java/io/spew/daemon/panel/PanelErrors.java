package io.spew.daemon.panel;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.xnio.IoUtils;

/** HTML answers and error pages: a message or an error id, never a stack trace. */
final class PanelErrors {
    private static final System.Logger LOG = System.getLogger(PanelErrors.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private PanelErrors() {}

    static void html(HttpServerExchange exchange, int status, String page) {
        byte[] bytes = page.getBytes(UTF_8);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.setResponseContentLength(bytes.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    /** A small page that says {@code message}. */
    static void page(HttpServerExchange exchange, int status, String title, String message) {
        html(exchange, status, PanelLayout.page(title, null, html -> html.element("p", message)));
    }

    static void notFound(HttpServerExchange exchange) {
        page(exchange, StatusCodes.NOT_FOUND, "Not found", "No such page.");
    }

    /**
     * The page for what a handler threw: its message (a refusal's or a {@link SpewException}'s) or
     * a generic one, always with an error id that the daemon log has with the details.
     */
    static void send(HttpServerExchange exchange, Throwable failure) {
        if (exchange.isResponseStarted()) {
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        String id = HexFormat.of().formatHex(randomBytes());
        String request = exchange.getRequestMethod() + " " + exchange.getRequestPath();
        if (failure instanceof PanelForms.Refused) {
            LOG.log(Level.DEBUG, () -> "panel error " + id + " on " + request + ": " + failure.getMessage());
            page(exchange, ((PanelForms.Refused) failure).status(), "Refused", failure.getMessage(), id);
        } else if (failure instanceof SpewException) {
            SpewException exception = (SpewException) failure;
            int status = statusOf(exception.code());
            if (status >= 500) {
                LOG.log(Level.WARNING, "panel error " + id + " on " + request + ": " + exception.userMessage(), exception);
            } else {
                LOG.log(Level.DEBUG, () -> "panel error " + id + " on " + request + ": " + exception.userMessage());
            }
            page(exchange, status, status == 404 ? "Not found" : "Could not do that", exception.userMessage(), id);
        } else {
            LOG.log(Level.ERROR, "internal error " + id + " on panel " + request, failure);
            page(exchange, 500, "Internal error", "Something went wrong inside the daemon: its log has the details.",
                    id);
        }
    }

    private static void page(HttpServerExchange exchange, int status, String title, String message, String id) {
        html(exchange, status, PanelLayout.page(title, null, html -> html.element("p", message)
                .element("p", "Error id " + id, "class", "error-id")));
    }

    private static int statusOf(ErrorCode code) {
        switch (code.exitCode()) {
            case 2:
                return 400;
            case 3:
                return 404;
            case 4:
                return code == ErrorCode.UNAUTHORIZED ? 401 : 503;
            default:
                return 500;
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
