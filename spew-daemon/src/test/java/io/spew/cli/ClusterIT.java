package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static io.spew.cli.ClusterLists.hostState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.daemon.cluster.JoinToken;
import io.spew.impl.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.IpAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three daemon processes on loopback, each with its own data directory, made one cluster with
 * {@code spew cluster init} and {@code spew cluster join}; shared by the tests in order (the last kills one).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final int HOSTS = 3;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @TempDir
    static Path root;

    private SpewCluster cluster;
    private String token;
    private final List<String> ids = new ArrayList<>();

    @BeforeAll
    void makeTheCluster() throws IOException {
        cluster = new SpewCluster(root);
        for (int i = 0; i < HOSTS; i++) {
            cluster.add();
        }
        cluster.host(0).ok("daemon", "start", "--cluster-listen", cluster.clusterListen(0), "--label", "zone=a");
        List<String> lines = cluster.host(0).ok("cluster", "init").stdout().lines().toList();
        token = lines.get(lines.size() - 1);
        for (int i = 1; i < HOSTS; i++) {
            String joined = cluster.host(i).ok("cluster", "join", "--cluster-listen", cluster.clusterListen(i), token)
                    .stdout();
            assertThat(joined).startsWith("joined the cluster:");
        }
        for (int i = 0; i < HOSTS; i++) {
            ids.add(Files.readString(cluster.host(i).dataDirectory().resolve("cluster/host-id"), UTF_8).strip());
        }
    }

    @AfterAll
    void stopEveryHost() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void everyHostListsAllThreeUpWithTheirFacts() throws IOException {
        for (int i = 0; i < HOSTS; i++) {
            SpewProcesses host = cluster.host(i);
            // the facts of the others arrive by message: wait for them through the API, then ask the CLI
            assertThat(SpewProcesses.eventually(SETTLE, () -> allUpWithFacts(host.getJson("/hosts"))))
                    .as("host %d: %s", i, host.getJson("/hosts")).isTrue();
            JsonNode listed = host.json("host", "ls", "--json");
            assertThat(listed).hasSize(HOSTS);
            List<String> local = new ArrayList<>();
            for (JsonNode entry : listed) {
                assertThat(entry.get("state").asText()).isEqualTo("up");
                assertThat(entry.get("runtimes")).isNotEmpty();
                assertThat(entry.get("cores").asInt()).isPositive();
                assertThat(entry.get("memoryBytes").asLong()).isPositive();
                if (entry.get("local").asBoolean()) {
                    local.add(entry.get("id").asText());
                }
                if (entry.get("id").asText().equals(ids.get(0))) {
                    assertThat(entry.get("labels").get("zone").asText()).isEqualTo("a");
                }
            }
            assertThat(local).containsExactly(ids.get(i));
            assertThat(listed.findValuesAsText("id")).containsExactlyInAnyOrderElementsOf(ids);
        }
        assertThat(cluster.host(1).ok("host", "ls").stdout()).contains("zone=a", "up");
    }

    @Test
    @Order(2)
    void theKeyStaysInOwnerOnlyFilesAndTheTokenInTheCommandsThatPrintIt() throws IOException {
        for (int i = 0; i < HOSTS; i++) {
            Path data = cluster.host(i).dataDirectory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("cluster"))))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("cluster/key"))))
                    .isEqualTo("rw-------");
            String key = Files.readString(data.resolve("cluster/key"), UTF_8).strip();
            String log = Files.readString(data.resolve("daemon/daemon.log"), UTF_8);
            assertThat(log).doesNotContain(key).doesNotContain(token);
        }
        JoinToken fromSecond = JoinToken.parse(cluster.host(1).ok("cluster", "token").stdout());
        assertThat(fromSecond.key()).isEqualTo(JoinToken.parse(token).key());
        assertThat(fromSecond.seeds()).containsExactly(cluster.clusterListen(1), cluster.clusterListen(0));
        SpewProcesses.Result again = cluster.host(0).run("cluster", "init");
        assertThat(again.exitCode()).as("%s", again).isEqualTo(2);
        assertThat(again.stderr()).contains("already in a cluster").doesNotContain(token);
    }

    @Test
    @Order(3)
    void aMistypedTokenIsRefusedBeforeAnythingStarts() {
        int stranger = cluster.add();
        SpewProcesses host = cluster.host(stranger);
        String mistyped = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");

        SpewProcesses.Result result = host.run("cluster", "join", mistyped);

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.stderrLines()).hasSize(1);
        assertThat(result.stderr()).startsWith("spew: the join token is not valid");
        assertThat(host.dataDirectory().resolve("daemon/address")).doesNotExist();
    }

    @Test
    @Order(4)
    void aForgedTokenCannotJoinAndLeavesTheHostAsItWas() {
        int stranger = cluster.size() - 1;
        SpewProcesses host = cluster.host(stranger);
        byte[] wrongKey = new byte[32];
        new SecureRandom().nextBytes(wrongKey);
        String forged = new JoinToken(Base64.getEncoder().encodeToString(wrongKey), List.of(cluster.clusterListen(0)))
                .encode();

        SpewProcesses.Result result = host.run("cluster", "join", "--cluster-listen", cluster.clusterListen(stranger),
                forged);

        assertThat(result.exitCode()).as("%s", result).isEqualTo(4);
        assertThat(result.stderrLines()).hasSize(1);
        assertThat(result.stderr()).contains("no member of the cluster at " + cluster.clusterListen(0));
        assertThat(host.dataDirectory().resolve("cluster/key")).doesNotExist();
        assertThat(host.json("host", "ls", "--json")).hasSize(1);
        for (int i = 0; i < HOSTS; i++) {
            assertThat(cluster.host(i).getJson("/hosts").findValuesAsText("id")).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    @Order(5)
    void aRawMemberWithoutTheKeyCannotReadOrInject() throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        try (JChannel raw = rawChannel()) {
            raw.setDiscardOwnMessages(true);
            raw.setReceiver(new Receiver() {
                @Override
                public void receive(Message message) {
                    received.add(message);
                }
            });
            raw.connect("spew");
            raw.send(new BytesMessage(null, "let me in".getBytes(UTF_8)));
            for (int port : clusterPorts()) {
                raw.send(new BytesMessage(new IpAddress(InetAddress.getLoopbackAddress(), port), "hello".getBytes(UTF_8)));
            }
            // the members talk meanwhile (heartbeats, facts): none of it reaches the raw member
            cluster.host(1).ok("daemon", "status");
            assertThat(received.poll(3, TimeUnit.SECONDS)).isNull();
            assertThat(raw.getView().size()).isEqualTo(1);
            for (int i = 0; i < HOSTS; i++) {
                JsonNode hosts = cluster.host(i).getJson("/hosts");
                assertThat(hosts.findValuesAsText("id")).containsExactlyInAnyOrderElementsOf(ids);
                assertThat(hosts.findValuesAsText("state")).containsOnly("up");
            }
        }
    }

    @Test
    @Order(6)
    void aKilledHostIsSuspectThenLostOnTheOthers() {
        int victim = HOSTS - 1;
        long pid = cluster.host(victim).daemonPid();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        List<List<String>> seen = new ArrayList<>();
        for (int i = 0; i < victim; i++) {
            seen.add(new ArrayList<>());
        }
        boolean lost = SpewProcesses.eventually(SETTLE, () -> {
            boolean all = true;
            for (int i = 0; i < victim; i++) {
                String state = hostState(cluster.host(i).getJson("/hosts"), ids.get(victim));
                List<String> states = seen.get(i);
                if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
                    states.add(state);
                }
                all &= state.equals("lost");
            }
            return all;
        });
        assertThat(lost).as("states seen: %s", seen).isTrue();
        for (List<String> states : seen) {
            assertThat(states).as("states seen: %s", seen).containsSubsequence("up", "suspect", "lost");
        }
    }

    @Test
    @Order(7)
    void aHostThatLeavesRunsAloneAndIsLostToTheOthers() {
        SpewProcesses leaving = cluster.host(1);

        assertThat(leaving.ok("cluster", "leave").stdout()).contains("left the cluster");

        assertThat(leaving.dataDirectory().resolve("cluster/key")).doesNotExist();
        assertThat(leaving.dataDirectory().resolve("cluster/raft")).as("its copy of the desired state").doesNotExist();
        Path membersOfHost0 = cluster.host(0).dataDirectory().resolve("cluster/raft/members");
        assertThat(SpewProcesses.eventually(SETTLE, () -> {
            try {
                return !Files.readString(membersOfHost0).contains(ids.get(1));
            } catch (IOException e) {
                return false;
            }
        }))
                .as("host 0 no longer counts host 1 toward a majority: %s", membersOfHost0).isTrue();
        JsonNode alone = leaving.json("host", "ls", "--json");
        assertThat(alone).hasSize(1);
        assertThat(alone.get(0).get("local").asBoolean()).isTrue();
        SpewProcesses first = cluster.host(0);
        assertThat(SpewProcesses.eventually(SETTLE, () -> hostState(first.getJson("/hosts"), ids.get(1)).equals("lost")))
                .isTrue();
        SpewProcesses.Result token = leaving.run("cluster", "token");
        assertThat(token.exitCode()).isEqualTo(2);
        assertThat(token.stderr()).contains("in no cluster");
    }

    @Test
    @Order(8)
    void theLastHostOfAClusterWithoutAMajorityLeavesOnlyWhenForced() {
        SpewProcesses last = cluster.host(0); // its cluster: itself and the host killed above, gone for good

        SpewProcesses.Result refused = last.run("cluster", "leave");
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(4);
        assertThat(refused.stderrLines()).hasSize(1);
        assertThat(refused.stderr()).contains("cannot leave the cluster", "spew cluster leave --force");
        assertThat(last.dataDirectory().resolve("cluster/key")).as("still in the cluster").exists();

        SpewProcesses.Result forced = last.ok("cluster", "leave", "--force");
        assertThat(forced.stdout()).contains("left the cluster");
        assertThat(forced.stderr()).contains("without the cluster's agreement");
        assertThat(last.dataDirectory().resolve("cluster/key")).doesNotExist();
        assertThat(last.dataDirectory().resolve("cluster/raft")).doesNotExist();
        JsonNode alone = last.json("host", "ls", "--json");
        assertThat(alone).hasSize(1);
        assertThat(alone.get(0).get("local").asBoolean()).isTrue();
        assertThat(last.run("cluster", "token").stderr()).contains("in no cluster");
    }

    private List<Integer> clusterPorts() {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < HOSTS; i++) {
            String listen = cluster.clusterListen(i);
            ports.add(Integer.parseInt(listen.substring(listen.indexOf(':') + 1)));
        }
        return ports;
    }

    /** The members' own stack without the key's seal, pointed at every member. */
    private JChannel rawChannel() throws Exception {
        TCP tcp = new TCP();
        tcp.setBindAddress(InetAddress.getLoopbackAddress());
        tcp.setBindPort(SpewCluster.freePort());
        TCPPING discovery = new TCPPING();
        List<java.net.InetSocketAddress> members = new ArrayList<>();
        for (int port : clusterPorts()) {
            members.add(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        discovery.setInitialHosts(members);
        discovery.setPortRange(0);
        GMS membership = new GMS();
        membership.setJoinTimeout(1000);
        return new JChannel(tcp, discovery, new MERGE3(), new FD_ALL3(), new VERIFY_SUSPECT2(),
                new NAKACK2().useMcastXmit(false), new UNICAST3(), new STABLE(), membership, new FRAG4());
    }

    private static boolean allUpWithFacts(JsonNode hosts) {
        if (hosts.size() != HOSTS) {
            return false;
        }
        for (JsonNode host : hosts) {
            if (!host.get("state").asText().equals("up") || host.get("runtimes").isEmpty()
                    || host.get("cores").asInt() == 0) {
                return false;
            }
        }
        return true;
    }
}
