package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.impl.json.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The build and host pages, and the dashboard's "restart failed", over plain HTTP to a real daemon. */
class PanelPagesIT extends DaemonProcessTest {
    @Test
    void theBuildPageShowsItsSignerAndSizesAndTheHostPageItsFacts() throws IOException {
        Path rootfs = Files.createDirectories(temporary.resolve("site/rootfs/etc"));
        Files.writeString(rootfs.resolve("motd"), "hi\n");
        Path archive = temporary.resolve("site-2.0.tar.gz");
        spew.ok("build", "create", rootfs.getParent().toString(), "--name", "site", "--version", "2.0",
                "-o", archive.toString());
        String id = spew.ok("build", "import", archive.toString()).stdout().trim();
        JsonNode build = Json.mapper().readTree(spew.ok("build", "ls", "--json").stdout()).get(0);

        PanelHttp panel = new PanelHttp(spew);
        String cookie = panel.login();
        HttpResponse<String> page = PanelHttp.send(panel.get("/panel/builds/site@2.0").header("Cookie", cookie));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Build site@2.0", id, build.get("signer").get("fingerprint").asText(),
                "signed at", "archive", "unpacked", "Instances using it");

        JsonNode host = Json.mapper().readTree(spew.ok("host", "ls", "--json").stdout()).get(0);
        HttpResponse<String> hostPage = PanelHttp.send(panel.get("/panel/hosts/" + host.get("id").asText())
                .header("Cookie", cookie));
        assertThat(hostPage.statusCode()).isEqualTo(200);
        assertThat(hostPage.body()).contains("Host " + host.get("name").asText(), "shell", "cores");
    }

    @Test
    void theDashboardShowsEnvironmentsWithDesiredAndRunningCounts() throws IOException {
        Path file = temporary.resolve("spew.yaml");
        Files.writeString(file, "appliances:\n  web:\n    runtime: shell\n    command: [/bin/sh, -c, 'exec sleep 300']\n"
                + "instances: { web: 2 }\n", UTF_8);
        spew.ok("start", file.toString());
        spew.ok("stop", "web-2");

        PanelHttp panel = new PanelHttp(spew);
        String cookie = panel.login();
        String dashboard = PanelHttp.send(panel.get("/panel/").header("Cookie", cookie)).body();
        String environments = dashboard.substring(dashboard.indexOf("<h2>Environments</h2>"));
        assertThat(environments).containsPattern("<a href=\"/panel/appliances/web\">web</a></td><td>2</td>"
                + "<td class=\"short\">1</td>");
    }

    @Test
    void restartFailedStartsTheCrashedInstancesAgain() throws IOException {
        Path flag = temporary.resolve("flag");
        Path appliance = temporary.resolve("flaky.yaml");
        Files.writeString(appliance, "name: flaky\nruntime: shell\ncommand: [/bin/sh, -c, 'test -f " + flag
                + " || exit 3; exec sleep 60']\n", UTF_8);
        spew.ok("appliance", "apply", appliance.toString());
        spew.ok("run", "flaky");
        assertThat(SpewProcesses.eventually(Duration.ofSeconds(30),
                () -> spew.instance("flaky-1").get("state").asText().equals("crashed"))).as("flaky-1 crashed").isTrue();
        Files.writeString(flag, "");

        PanelHttp panel = new PanelHttp(spew);
        String cookie = panel.login();
        assertThat(PanelHttp.send(panel.get("/panel/").header("Cookie", cookie)).body()).contains("crashed");
        HttpResponse<String> restarted = PanelHttp.send(panel.post("/panel/restart-failed", cookie,
                "csrf=" + panel.csrf("/panel/", cookie)));
        assertThat(restarted.statusCode()).isEqualTo(303);
        assertThat(SpewProcesses.eventually(Duration.ofSeconds(30),
                () -> spew.instance("flaky-1").get("state").asText().equals("running"))).as("flaky-1 runs").isTrue();
    }
}
