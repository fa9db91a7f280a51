package io.spew.impl.health;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** Passes when a GET of the URL answers with a 2xx or 3xx status within the timeout; the body is discarded. */
final class HttpProbe implements Probe {
    /** Beyond the request's own timeout, in case connecting is not bounded by it. */
    private static final Duration MARGIN = Duration.ofSeconds(1);

    private final HttpClient client;
    private final URI uri;
    private final Duration timeout;

    HttpProbe(HttpClient client, URI uri, Duration timeout) {
        this.client = requireNonNull(client, "client is null");
        this.uri = requireNonNull(uri, "uri is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    @Override
    public CompletableFuture<String> run() {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                return cause instanceof HttpTimeoutException
                        ? "no answer from " + uri + " within " + timeout.toMillis() + " ms"
                        : "GET " + uri + " failed: " + cause;
            }
            int status = response.statusCode();
            return status >= 200 && status < 400 ? null : "GET " + uri + " answered " + status;
        }).completeOnTimeout("no answer from " + uri + " within " + timeout.toMillis() + " ms",
                timeout.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
    }
}
