package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plain HTTP to the panel of a daemon the tests started: login with {@code spew panel}, pages and form posts. */
final class PanelHttp {
    private static final HttpClient NO_REDIRECTS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    final String base;
    private final SpewProcesses spew;

    PanelHttp(SpewProcesses spew) throws IOException {
        this.spew = spew;
        this.base = "http://" + Files.readString(spew.addressFile(), UTF_8).trim();
    }

    /** Logs in with the URL {@code spew panel} prints; answers the {@code Cookie} header value. */
    String login() throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(spew.ok("panel").stdout().trim())));
        return response.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    /** The CSRF token in the page at {@code path}. */
    String csrf(String path, String cookie) throws IOException {
        Matcher csrf = CSRF.matcher(send(get(path).header("Cookie", cookie)).body());
        assertThat(csrf.find()).as("a CSRF field in %s", path).isTrue();
        return csrf.group(1);
    }

    HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    }

    HttpRequest.Builder post(String path, String cookie, String form) {
        return get(path).header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return NO_REDIRECTS.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
