package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The panel and API refuse what they must, over real HTTP to a real daemon: no data without a
 * login, no API without the token, no other Host, no cross-site form post, no files through
 * path-like parameters, and the security headers on every answer. One daemon with one instance serves
 * every test: none changes what another looks at, and the one that restarts the instance runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PanelSecurityIT {
    @TempDir
    static Path temporary;

    private SpewProcesses spew;
    private PanelHttp panel;
    private String base;
    private String instanceId;

    @BeforeAll
    void runTicker() throws IOException {
        spew = new SpewProcesses(Files.createDirectory(temporary.resolve("data")),
                Files.createDirectory(temporary.resolve("scratch")));
        Path appliance = temporary.resolve("ticker.yaml");
        Files.writeString(appliance, PanelBrowserIT.resource("panel-ticker.yaml"), UTF_8);
        spew.ok("appliance", "apply", appliance.toString());
        spew.ok("run", "ticker");
        instanceId = spew.instance("ticker-1").get("id").asText();
        panel = new PanelHttp(spew);
        base = panel.base;
    }

    @AfterAll
    void stopDaemon() {
        spew.close();
    }

    @Test
    void withoutALoginThereIsNoData() throws Exception {
        for (String path : new String[] {"/panel/", "/panel/instances/ticker-1", "/panel/appliances/ticker",
                "/panel/api/v1/instances", "/panel/api/v1/instances/ticker-1/logs"}) {
            HttpResponse<String> response = send(get(path));
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.body()).as(path).doesNotContain("ticker-1", instanceId, "tick ");
        }
        HttpResponse<String> forged = send(get("/panel/").header("Cookie", "spew_session=made-up"));
        assertThat(forged.statusCode()).isEqualTo(401);
    }

    /** Instance and appliance names never carry markup to the panel: such names are refused, nothing is made. */
    @Test
    void namesWithMarkupAreRefused() throws Exception {
        for (String name : new String[] {"<script>alert(1)</script>", "x<img src=x onerror=alert(2)>",
                "javascript:alert(3)", "red\u001b[31m"}) {
            SpewProcesses.Result run = spew.run("run", "ticker", "--name", name);
            assertThat(run.exitCode()).as(name).isEqualTo(2);
            assertThat(run.stderr()).as(name).contains("bad instance name");
            Path appliance = temporary.resolve("evil.yaml");
            Files.writeString(appliance, "name: \"" + name.replace("\u001b", "\\e") + "\"\nruntime: shell\n"
                    + "command: [/bin/true]\n", UTF_8);
            assertThat(spew.run("appliance", "apply", appliance.toString()).exitCode()).as(name).isEqualTo(2);
        }
        String cookie = panel.login();
        String dashboard = send(get("/panel/").header("Cookie", cookie)).body();
        assertThat(dashboard).contains("ticker-1").doesNotContain("alert(", "javascript:", "onerror");
        assertThat(spew.json("ps", "--all", "--json")).hasSize(1);
    }

    @Test
    void theLoginUrlWorksOnceAndSetsAStrictHttpOnlyCookie() throws Exception {
        String login = spew.ok("panel").stdout().trim();
        HttpResponse<String> first = send(HttpRequest.newBuilder(URI.create(login)));
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(first.headers().firstValue("Location")).contains("/panel/");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("spew_session=").contains("HttpOnly", "SameSite=Strict");
        assertThat(send(HttpRequest.newBuilder(URI.create(login))).statusCode()).as("second use").isEqualTo(401);
        HttpResponse<String> dashboard = send(get("/panel/").header("Cookie", cookie.split(";")[0]));
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("ticker-1");
    }

    @Test
    void theApiWantsTheTokenInTheHeader() throws Exception {
        String token = Files.readString(spew.tokenFile(), UTF_8).trim();
        assertThat(send(get("/api/v1/instances")).statusCode()).isEqualTo(401);
        assertThat(send(get("/api/v1/instances?token=" + token)).statusCode()).isEqualTo(401);
        assertThat(send(get("/api/v1/instances?access_token=" + token)).statusCode()).isEqualTo(401);
        assertThat(send(get("/api/v1/panel/logins").POST(HttpRequest.BodyPublishers.noBody())).statusCode())
                .as("login URLs need the token").isEqualTo(401);
        assertThat(send(get("/api/v1/instances").header("Authorization", "Bearer " + token)).statusCode())
                .isEqualTo(200);
        assertThat(Files.readString(spew.dataDirectory().resolve("daemon/daemon.log"), UTF_8))
                .doesNotContain(token);
    }

    @Test
    void anotherHostIsRefused() throws IOException {
        assertThat(rawGet("evil.example", "/panel/")).startsWith("HTTP/1.1 421");
        assertThat(rawGet("evil.example:" + URI.create(base).getPort(), "/api/v1/instances")).startsWith("HTTP/1.1 421");
        assertThat(rawGet(null, "/panel/")).as("no Host").matches("(?s)HTTP/1.1 4(00|21) .*");
        assertThat(rawGet(URI.create(base).getAuthority(), "/panel/")).startsWith("HTTP/1.1 401");
        assertThat(rawGet("localhost:" + URI.create(base).getPort(), "/panel/")).startsWith("HTTP/1.1 401");
    }

    /** Last: it restarts the instance, which the metrics count. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aCrossSiteFormPostIsRefused() throws Exception {
        String cookie = login();
        String token = panel.csrf("/panel/instances/ticker-1", cookie);
        String pid = spew.instance("ticker-1").get("pid").asText();
        String path = "/panel/instances/" + instanceId + "/kill";

        assertThat(send(post(path, cookie, "csrf=" + token).header("Origin", "http://evil.example"))
                .statusCode()).isEqualTo(403);
        assertThat(send(post(path, cookie, "csrf=" + token).header("Sec-Fetch-Site", "cross-site"))
                .statusCode()).isEqualTo(403);
        assertThat(send(post(path, cookie, "csrf=wrong")).statusCode()).isEqualTo(403);
        assertThat(send(post(path, cookie, "")).statusCode()).isEqualTo(403);
        assertThat(send(post(path, "spew_session=made-up", "csrf=" + token)).statusCode()).isEqualTo(401);
        assertThat(send(post(path, cookie, "csrf=" + token + "&pad=" + "x".repeat(20_000))).statusCode())
                .as("a large form").isEqualTo(413);
        assertThat(spew.instance("ticker-1").get("pid").asText()).isEqualTo(pid);
        assertThat(spew.instance("ticker-1").get("state").asText()).isEqualTo("running");

        HttpResponse<String> sameSite = send(post("/panel/instances/" + instanceId + "/restart", cookie,
                "csrf=" + token).header("Origin", base).header("Sec-Fetch-Site", "same-origin"));
        assertThat(sameSite.statusCode()).isEqualTo(303);
        assertThat(spew.instance("ticker-1").get("pid").asText()).isNotEqualTo(pid);
    }

    @Test
    void pathLikeParametersCannotReachFiles() throws Exception {
        String cookie = login();
        for (String path : new String[] {"/panel/static/..%2F..%2F..%2Fetc%2Fpasswd", "/panel/static/../../etc/passwd",
                "/panel/static/%2e%2e/%2e%2e/etc/passwd", "/panel/instances/..%2F..%2Fetc%2Fpasswd",
                "/panel/builds/..%2F..%2Fetc%2Fpasswd", "/panel/appliances/..%2F..%2Fetc%2Fpasswd",
                "/panel/hosts/..%2F..%2Fetc%2Fpasswd", "/panel/api/v1/instances/..%2F..%2Fetc%2Fpasswd/logs",
                "/panel/static/panel.css%00.js", "/panel//etc/passwd"}) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Cookie", cookie));
            assertThat(response.statusCode()).as(path).isBetween(400, 499);
            assertThat(response.body()).as(path).doesNotContain("root:x:0", "at io.spew", "Exception");
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        String cookie = login();
        for (HttpRequest.Builder request : new HttpRequest.Builder[] {get("/panel/").header("Cookie", cookie),
                get("/panel/static/panel.js"), get("/panel/"), get("/api/v1/instances"),
                get("/panel/nosuch").header("Cookie", cookie)}) {
            HttpResponse<String> response = send(request);
            assertThat(response.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("frame-ancestors 'none'", "script-src 'self'", "default-src 'none'");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        }
        HttpResponse<String> missing = send(get("/panel/instances/nosuch").header("Cookie", cookie));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("nosuch").containsPattern("Error id [0-9a-f]{12}")
                .doesNotContain("at io.spew", "Exception");
    }

    @Test
    void metricsAndTheApiDocumentAreServedWithTheToken() throws Exception {
        String token = Files.readString(spew.tokenFile(), UTF_8).trim();
        assertThat(send(get("/metrics")).statusCode()).isEqualTo(401);
        send(get("/api/v1/instances").header("Authorization", "Bearer " + token));
        HttpResponse<String> metrics = send(get("/metrics").header("Authorization", "Bearer " + token));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body()).contains("spew_instances{state=\"running\"} 1", "spew_instances_by_health{health=",
                "spew_instance_restarts 0", "spew_build_import_bytes{kind=\"archive\"} 0",
                "spew_http_request_duration_seconds_count{area=\"api\",method=\"GET\"}");
        HttpResponse<String> document = send(get("/api/v1/openapi.json").header("Authorization", "Bearer " + token));
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).contains("\"openapi\"", "/instances/{ref}/restart");
    }

    private String login() throws IOException {
        return panel.login();
    }

    private HttpRequest.Builder get(String path) {
        return panel.get(path);
    }

    private HttpRequest.Builder post(String path, String cookie, String form) {
        return panel.post(path, cookie, form);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        return PanelHttp.send(request);
    }

    /** A GET with the given Host header (none when null), over a plain socket: HttpClient sets Host itself. */
    private String rawGet(String host, String path) throws IOException {
        URI uri = URI.create(base);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
                    + "Connection: close\r\n\r\n").getBytes(UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), UTF_8);
        }
    }
}
