package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.impl.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/instances} as real clients read it, from a real daemon: plain, gzip compressed
 * and revalidated with {@code If-None-Match} answer the same JSON, and all three change when an
 * instance changes.
 */
class InstanceListIT extends DaemonProcessTest {
    @Test
    void plainGzipAndNotModifiedAnswerTheSameListAndChangeWithAnInstance() throws Exception {
        Path appliance = temporary.resolve("idle.yaml");
        Files.writeString(appliance, "name: idle\nruntime: shell\ncommand: [/bin/sleep, '300']\n", UTF_8);
        spew.ok("appliance", "apply", appliance.toString());
        spew.ok("run", "idle");
        spew.ok("run", "idle");

        HttpResponse<byte[]> plain = get(null, null);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        String plainTag = plain.headers().firstValue("ETag").orElseThrow();
        assertThat(plainTag).matches("\"[A-Za-z0-9_-]+\"");
        JsonNode list = Json.mapper().readTree(plain.body());
        assertThat(list).hasSize(2);
        JsonNode first = list.get(0);
        assertThat(first.get("name").asText()).isEqualTo("idle-1");
        for (String field : new String[] {"id", "name", "appliance", "host", "state", "health", "pid", "restarts"}) {
            assertThat(first.has(field)).as("the list carries %s", field).isTrue();
        }
        assertThat(first.has("spec")).as("the spec is in GET /instances/{ref}").isFalse();
        assertThat(new String(plain.body(), UTF_8)).doesNotContain("null", "{}");

        HttpResponse<byte[]> gzipped = get("gzip, deflate", null);
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String gzipTag = gzipped.headers().firstValue("ETag").orElseThrow();
        assertThat(gzipTag).isNotEqualTo(plainTag);
        assertThat(gunzip(gzipped.body())).isEqualTo(plain.body());
        assertThat(gzipped.body().length).isLessThan(plain.body().length);
        assertThat(get("gzip;q=0, identity", null).headers().firstValue("Content-Encoding")).isEmpty();

        HttpResponse<byte[]> notModified = get("gzip", gzipTag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.headers().firstValue("ETag")).hasValue(gzipTag);
        assertThat(get(null, plainTag).statusCode()).isEqualTo(304);
        assertThat(Json.mapper().readTree(spew.ok("ps", "--json").stdout())).as("ps reads the compressed list")
                .hasSize(2);

        spew.ok("stop", "idle-1");
        HttpResponse<byte[]> changed = get("gzip", gzipTag);
        assertThat(changed.statusCode()).as("the list changed: the old tag no longer matches").isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(gzipTag);
        JsonNode now = Json.mapper().readTree(gunzip(changed.body()));
        assertThat(now.get(0).get("state").asText()).isEqualTo("stopped");
        assertThat(now.get(0).has("pid")).as("no pid: left out, not null").isFalse();
        HttpResponse<byte[]> plainNow = get(null, plainTag);
        assertThat(plainNow.statusCode()).isEqualTo(200);
        assertThat(plainNow.body()).isEqualTo(gunzip(changed.body()));
    }

    private HttpResponse<byte[]> get(String acceptEncoding, String ifNoneMatch) throws Exception {
        String address = Files.readString(spew.addressFile(), UTF_8).trim();
        String token = Files.readString(spew.tokenFile(), UTF_8).trim();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address + "/api/v1/instances"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return SpewProcesses.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }
}
