package io.spew.daemon.panel;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.security.MessageDigest;
import java.util.Arrays;

/** Checks on the panel's form posts, and splitting paths. */
final class PanelForms {
    /** The largest form body the panel reads: its forms carry a token and nothing else. */
    static final int MAX_FORM_BYTES = 16 * 1024;

    private PanelForms() {}

    /**
     * Refuses a post that another site may have made: its {@code Sec-Fetch-Site} or {@code Origin}
     * says so, or its {@code csrf} field is not the session's token.
     */
    static void requireSameSite(HttpServerExchange exchange, PanelSessions.Session session) {
        String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin")) {
            throw new Refused(StatusCodes.FORBIDDEN, "A form of another site (" + site + ") cannot act here.");
        }
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (origin != null && !origin.equals("http://" + host) && !origin.equals("https://" + host)) {
            throw new Refused(StatusCodes.FORBIDDEN, "A form of another origin cannot act here.");
        }
        String token = field(readForm(exchange), "csrf");
        if (token == null || !MessageDigest.isEqual(token.getBytes(UTF_8), session.csrfToken().getBytes(UTF_8))) {
            throw new Refused(StatusCodes.FORBIDDEN, "The form's token is missing or stale: reload the page.");
        }
    }

    /** The non-empty segments of {@code path}, which has no empty segment and no dot segment. */
    static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return new String[0];
        }
        String[] parts = trimmed.split("/", -1);
        if (Arrays.stream(parts).anyMatch(part -> part.isEmpty() || part.equals(".") || part.equals(".."))) {
            throw new Refused(StatusCodes.NOT_FOUND, "No such page.");
        }
        return parts;
    }

    private static String readForm(HttpServerExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
            throw new Refused(StatusCodes.FORBIDDEN, "The panel takes its own forms only.");
        }
        try (InputStream in = exchange.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_FORM_BYTES + 1);
            if (bytes.length > MAX_FORM_BYTES) {
                throw new Refused(StatusCodes.REQUEST_ENTITY_TOO_LARGE, "The form is too large.");
            }
            return new String(bytes, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String field(String form, String name) {
        for (String pair : form.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && URLDecoder.decode(pair.substring(0, equals), UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), UTF_8);
            }
        }
        return null;
    }

    /** A request the panel refuses, with the status and the sentence to show. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
