package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.ETag;
import io.undertow.util.ETagUtils;
import io.undertow.util.Headers;
import io.undertow.util.QValueParser;
import io.undertow.util.StatusCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A JSON answer made once and sent many times, as HTTP APIs answer a list that many read: gzip
 * compressed for clients that send {@code Accept-Encoding: gzip} (with {@code Vary:
 * Accept-Encoding}), with a strong {@code ETag} (the SHA-256 of the JSON; {@code -gzip} appended
 * for the compressed form, a representation of its own) and {@code 304 Not Modified} to an
 * {@code If-None-Match} that names either. Clients may keep it but must ask again
 * ({@code Cache-Control: private, no-cache}).
 *
 * @param json the JSON
 * @param gzip the same, gzip compressed
 * @param tag the entity tag of the JSON, without quotes
 */
record EncodedJson(byte[] json, byte[] gzip, String tag) {
    static final String GZIP = "gzip";
    private static final String GZIP_TAG_SUFFIX = "-gzip";
    private static final int TAG_BYTES = 16;

    EncodedJson {
        requireNonNull(json, "json is null");
        requireNonNull(gzip, "gzip is null");
        requireNonNull(tag, "tag is null");
    }

    /** Compresses and tags {@code json}. */
    static EncodedJson of(byte[] json) {
        return new EncodedJson(json, gzip(json), tag(json));
    }

    /** Answers 200 with the JSON in the encoding the client accepts, or 304 when it has it already. */
    void send(HttpServerExchange exchange) {
        boolean compressed = acceptsGzip(exchange);
        ETag plain = new ETag(false, tag);
        ETag gzipped = new ETag(false, tag + GZIP_TAG_SUFFIX);
        exchange.getResponseHeaders().put(Headers.VARY, Headers.ACCEPT_ENCODING_STRING);
        exchange.getResponseHeaders().put(Headers.ETAG, (compressed ? gzipped : plain).toString());
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "private, no-cache");
        if (!ETagUtils.handleIfNoneMatch(exchange, List.of(plain, gzipped), true)) {
            exchange.setStatusCode(StatusCodes.NOT_MODIFIED);
            exchange.endExchange();
            return;
        }
        byte[] body = compressed ? gzip : json;
        exchange.setStatusCode(StatusCodes.OK);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Responses.JSON);
        if (compressed) {
            exchange.getResponseHeaders().put(Headers.CONTENT_ENCODING, GZIP);
        }
        exchange.setResponseContentLength(body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /** Whether {@code Accept-Encoding} allows gzip: named (or {@code *}) with a q-value above 0. */
    static boolean acceptsGzip(HttpServerExchange exchange) {
        List<String> header = exchange.getRequestHeaders().get(Headers.ACCEPT_ENCODING);
        if (header == null || header.isEmpty()) {
            return false;
        }
        Boolean any = null;
        for (List<QValueParser.QValueResult> group : QValueParser.parse(header)) {
            for (QValueParser.QValueResult coding : group) {
                if (coding.getValue().equalsIgnoreCase(GZIP) || coding.getValue().equalsIgnoreCase("x-gzip")) {
                    return !coding.isQValueZero();
                }
                if (coding.getValue().equals("*")) {
                    any = !coding.isQValueZero();
                }
            }
        }
        return Boolean.TRUE.equals(any);
    }

    private static byte[] gzip(byte[] json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(bytes, 64 * 1024)) {
            out.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not on a byte array
        }
        return bytes.toByteArray();
    }

    private static String tag(byte[] json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, TAG_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
