package io.spew.daemon.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.json.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.PathTemplateMatch;
import java.io.IOException;
import java.util.Deque;
import java.util.Optional;

/** Reading path parameters, query parameters and bounded JSON bodies. */
final class Requests {
    /** The largest request body the API reads. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private Requests() {}

    /** A parameter of the matched path template, such as {@code ref}. */
    static String path(HttpServerExchange exchange, String name) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        String value = match == null ? null : match.getParameters().get(name);
        if (value == null || value.isEmpty()) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "the request path has no " + name);
        }
        return value;
    }

    static Optional<String> query(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getLast());
    }

    static boolean booleanQuery(HttpServerExchange exchange, String name, boolean otherwise) {
        Optional<String> value = query(exchange, name);
        if (value.isEmpty() || value.get().isEmpty()) {
            return otherwise;
        }
        switch (value.get()) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new SpewException(ErrorCode.INVALID_ARGUMENT, "query parameter " + name
                        + " must be true or false, not '" + value.get() + "'");
        }
    }

    /** A non-negative integer query parameter, or {@code otherwise} when absent. */
    static int intQuery(HttpServerExchange exchange, String name, int otherwise) {
        Optional<String> value = query(exchange, name);
        if (value.isEmpty() || value.get().isEmpty()) {
            return otherwise;
        }
        try {
            int number = Integer.parseInt(value.get());
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SpewException(ErrorCode.INVALID_ARGUMENT, "query parameter " + name
                + " must be a number of 0 or more, not '" + value.get() + "'");
    }

    /** The JSON body as a {@code type}, or {@code otherwise} when the body is empty. */
    static <T> T body(HttpServerExchange exchange, Class<T> type, T otherwise) throws IOException {
        byte[] bytes = readBody(exchange);
        if (bytes.length == 0) {
            if (otherwise != null) {
                return otherwise;
            }
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "the request has no body: send JSON");
        }
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (JsonProcessingException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof SpewException) {
                    throw (SpewException) cause;
                }
            }
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "bad request body: " + e.getOriginalMessage());
        }
    }

    static <T> T body(HttpServerExchange exchange, Class<T> type) throws IOException {
        return body(exchange, type, null);
    }

    private static byte[] readBody(HttpServerExchange exchange) throws IOException {
        if (exchange.getRequestContentLength() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        byte[] bytes;
        try {
            bytes = exchange.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        } catch (RequestTooBigException e) {
            throw tooLarge();
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        return bytes;
    }

    private static SpewException tooLarge() {
        return new SpewException(ErrorCode.INVALID_ARGUMENT, "the request body is larger than "
                + MAX_BODY_BYTES + " bytes");
    }
}
