package io.spew.daemon.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.daemon.api.ApiError;
import io.spew.daemon.api.ApiServer;
import io.spew.impl.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

/**
 * HTTP/1.1 to one daemon: JSON in and out, the bearer token on every request, and every failure
 * turned into a {@link SpewException}: the daemon's own error, or {@code DAEMON_UNAVAILABLE} when it
 * cannot be reached. Answers are read with Spew's one mapping, ignoring fields this command does
 * not know: a newer daemon may add some.
 */
final class ApiTransport {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http;
    private final String address;
    private final String token;

    ApiTransport(HttpClient http, String address, String token) {
        this.http = requireNonNull(http, "http is null");
        this.address = requireNonNull(address, "address is null");
        this.token = requireNonNull(token, "token is null");
    }

    static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    String address() {
        return address;
    }

    /** Sends a request with an optional JSON body and reads a JSON answer of {@code type}. */
    <T> T call(String method, String path, Object body, JavaType type, Duration timeout) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(toJson(body));
        HttpRequest.Builder request = request(path, timeout).method(method, publisher)
                .header("Accept-Encoding", "gzip");
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> response = send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 300) {
            throw error(response.statusCode(), response.body());
        }
        try {
            return Json.mapper().readerFor(type)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(decoded(response));
        } catch (IOException e) {
            throw new SpewException(ErrorCode.INTERNAL, "the daemon at " + address + " answered " + method + " "
                    + path + " with JSON this command cannot read: " + e.getMessage(), e);
        }
    }

    /** The body of an answer, gunzipped when the daemon compressed it ({@code Content-Encoding: gzip}). */
    private static InputStream decoded(HttpResponse<byte[]> response) throws IOException {
        InputStream body = new ByteArrayInputStream(response.body());
        boolean gzip = response.headers().firstValue("Content-Encoding").filter("gzip"::equalsIgnoreCase).isPresent();
        return gzip ? new GZIPInputStream(body) : body;
    }

    /** Sends a GET whose answer is a stream of bytes, such as a log. */
    InputStream stream(String path) {
        return stream(request(path, null).GET().build());
    }

    /** Sends a POST with a JSON body whose answer is a stream, such as the lines of an import. */
    InputStream postStream(String path, Object body) {
        return stream(request(path, null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(toJson(body))).build());
    }

    private InputStream stream(HttpRequest request) {
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 300) {
            try (InputStream in = response.body()) {
                throw error(response.statusCode(), in.readNBytes(64 * 1024));
            } catch (IOException e) {
                throw unavailable(e);
            }
        }
        return response.body();
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + address + ApiServer.PREFIX + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (timeout != null) {
            builder.timeout(timeout);
        }
        return builder;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "interrupted while waiting for the daemon", e);
        }
    }

    private SpewException unavailable(IOException e) {
        String reason;
        if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
            reason = "nothing answers at " + address;
        } else if (e instanceof HttpTimeoutException) {
            reason = "the daemon at " + address + " did not answer in time";
        } else {
            reason = "lost the connection to the daemon at " + address
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return new SpewException(ErrorCode.DAEMON_UNAVAILABLE, reason, e);
    }

    private SpewException error(int status, byte[] body) {
        try {
            return Json.mapper().readerFor(ApiError.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .<ApiError>readValue(body).toException();
        } catch (IOException | RuntimeException e) {
            return new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "the daemon at " + address + " answered HTTP "
                    + status + " without an error this command can read");
        }
    }

    private static byte[] toJson(Object body) {
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write request body " + body, e);
        }
    }
}
