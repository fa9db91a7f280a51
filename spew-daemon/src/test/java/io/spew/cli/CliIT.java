package io.spew.cli;

import static io.spew.cli.SpewProcesses.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.cli.SpewProcesses.Result;
import io.spew.impl.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code spew} command end to end, as separate processes: the first command starts a daemon in
 * the background, the others talk to it over its API. Each test has its own data directory and
 * daemon, stopped afterwards.
 */
class CliIT extends DaemonProcessTest {
    /** Prints its rendered name, starts a child in its own process group, and waits. */
    private static final String ECHO = String.join("\n",
            "name: echo",
            "runtime: shell",
            "command: [\"/bin/sh\", \"-c\", \"echo \\\"I am ${instance.name}\\\"; sleep 1000 & echo \\\"child $!\\\"; wait\"]",
            "");


    @Test
    void runStartsTheDaemonAndStopEndsEveryProcessOfTheInstance() throws IOException {
        assertThat(spew.run("daemon", "status").exitCode()).as("no daemon yet").isEqualTo(4);
        Path file = write("echo.yaml", ECHO);
        assertThat(spew.ok("appliance", "apply", file.toString()).stdout()).isEqualTo("applied echo\n");
        spew.ok("daemon", "stop");
        assertThat(spew.run("daemon", "status").exitCode()).as("daemon stopped").isEqualTo(4);

        assertThat(spew.ok("run", "echo").stdout()).as("run starts the daemon again").isEqualTo("echo-1\n");
        assertThat(spew.run("daemon", "status").exitCode()).isZero();
        long child = childPid();

        JsonNode running = single(spew.json("ps", "--json"));
        assertThat(running.get("name").asText()).isEqualTo("echo-1");
        assertThat(running.get("state").asText()).isEqualTo("running");
        assertThat(running.get("appliance").asText()).isEqualTo("echo");
        assertThat(running.has("id") && running.has("host") && running.has("health") && running.has("restarts"))
                .as("ps --json fields: %s", running).isTrue();
        long pid = running.get("pid").asLong();
        assertThat(ProcessTable.isAlive(pid)).as("pid %d alive in /proc", pid).isTrue();
        assertThat(ProcessTable.isAlive(child)).as("child %d alive", child).isTrue();
        long group = ProcessTable.processGroup(pid).orElseThrow();

        assertThat(spew.ok("stop", "echo-1").stdout()).isEqualTo("stopped echo-1\n");
        assertThat(eventually(Duration.ofSeconds(5), () -> !ProcessTable.isAlive(pid))).as("pid gone").isTrue();
        assertThat(eventually(Duration.ofSeconds(5), () -> !ProcessTable.isAlive(child))).as("child gone").isTrue();
        assertThat(eventually(Duration.ofSeconds(5), () -> ProcessTable.liveMembersOf(group).isEmpty()))
                .as("process group %d gone: %s", group, ProcessTable.liveMembersOf(group)).isTrue();
        assertThat(spew.json("ps", "--json")).as("ps shows active instances only").isEmpty();
        assertThat(single(spew.json("ps", "--all", "--json")).get("state").asText()).isEqualTo("stopped");
    }

    @Test
    void logsOfAnUnknownInstanceExit3WithOneLine() {
        Result result = spew.run("logs", "nosuch");
        assertThat(result.exitCode()).as("%s", result).isEqualTo(3);
        assertThat(result.stderrLines()).hasSize(1);
        assertThat(result.stderr()).startsWith("spew: ").contains("nosuch").contains("(INSTANCE_NOT_FOUND)");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void anApplianceWithAnUnknownKeyExits2NamingTheFileAndTheLine() throws IOException {
        Path file = write("bad.yaml", "name: bad\nruntime: shell\ncolour: blue\ncommand: [\"/bin/true\"]\n");
        Result result = spew.run("appliance", "apply", file.toString());
        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.stderrLines()).hasSize(1);
        assertThat(result.stderr()).startsWith("spew: ").contains(file.toString()).containsPattern("\\b3\\b")
                .contains("colour");
    }

    @Test
    void hostLsShowsTheLocalHost() {
        JsonNode hosts = spew.json("host", "ls", "--json");
        JsonNode host = single(hosts);
        assertThat(host.get("local").asBoolean()).isTrue();
        assertThat(host.get("state").asText()).isEqualTo("up");
        assertThat(host.get("id").asText()).isNotEmpty();
        assertThat(host.get("name").asText()).isNotEmpty();
        assertThat(host.get("runtimes").isArray()).isTrue();
        assertThat(host.get("labels").isObject()).isTrue();
        assertThat(host.get("cores").asInt()).isPositive();
        assertThat(spew.ok("host", "ls").stdout()).contains("LOCAL").contains(host.get("name").asText());
    }

    @Test
    void theApiAnswers401WithoutTheToken() throws Exception {
        spew.ok("daemon", "start");
        String base = "http://" + Files.readString(spew.addressFile(), UTF_8).trim() + "/api/v1";
        String token = Files.readString(spew.tokenFile(), UTF_8).trim();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spew.tokenFile()))).isEqualTo("rw-------");

        HttpResponse<String> none = get(base + "/instances", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(Json.mapper().readTree(none.body()).get("error").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(get(base + "/instances?token=" + token, null).statusCode()).as("token in the query").isEqualTo(401);
        assertThat(get(base + "/instances", "not-" + token).statusCode()).as("wrong token").isEqualTo(401);
        assertThat(get(base + "/instances", token).statusCode()).isEqualTo(200);
        assertThat(get(base + "/instances/nosuch", token).statusCode()).isEqualTo(404);
    }

    @Test
    void versionAndUsage() {
        assertThat(spew.ok("--version").stdout()).isEqualTo("spew 0.1.0-SNAPSHOT\n");
        assertThat(spew.run("ps", "--no-such-option").exitCode()).isEqualTo(1);
        assertThat(spew.ok("ps", "--help").stdout()).contains("Examples:");
    }

    private long childPid() {
        Pattern child = Pattern.compile("child (\\d+)");
        String[] logs = new String[1];
        boolean written = eventually(Duration.ofSeconds(10), () -> {
            logs[0] = spew.ok("logs", "echo-1").stdout();
            return logs[0].contains("I am echo-1") && child.matcher(logs[0]).find();
        });
        assertThat(written).as("logs show the rendered name and the child: %s", logs[0]).isTrue();
        Matcher matcher = child.matcher(logs[0]);
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static JsonNode single(JsonNode array) {
        assertThat(array.isArray()).as("%s", array).isTrue();
        assertThat(array.size()).as("%s", array).isEqualTo(1);
        return array.get(0);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(temporary.resolve(name), content, UTF_8);
    }

    private static HttpResponse<String> get(String uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return SpewProcesses.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
