package io.spew.runtime.nspawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.Spew;
import io.spew.appliance.Appliance;
import io.spew.build.BuildCreate;
import io.spew.build.BuildImport;
import io.spew.build.CreatedBuild;
import io.spew.build.ImportProgress;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import io.spew.SpewException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instance networks through the engine: busybox containers with {@code network: private} on a bridge
 * of the test's own ({@value #BRIDGE}, in 10.78.0.0/16), reaching each other by address. Nothing
 * leaves the host: the bridge has no uplink and no route to anywhere else.
 */
class NspawnNetworkIT {
    private static final String BRIDGE = "spewit0";
    private static final Map<String, String> NETWORK = Map.of("network", "private", "bridge", BRIDGE);
    private static final String SERVER = "mkdir -p /www && echo \"hello from $SPEW_INSTANCE_NAME\" > /www/index.html"
            + " && echo \"ready $SPEW_INSTANCE_ADDRESS\" && exec httpd -f -p 80 -h /www";
    private static final String CLIENT = "cat /etc/hosts /etc/resolv.conf; ip -4 addr show eth0; ip route;"
            + " for i in $(seq 200); do out=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 1 \"$TARGET\" 80);"
            + " if echo \"$out\" | grep -q hello; then echo \"$out\"; echo fetched; exec sleep 1000; fi;"
            + " sleep 0.05; done; echo unreachable; exit 1";

    @TempDir
    Path directory;

    private Path data;
    private final List<String> instanceIds = new ArrayList<>();

    @BeforeAll
    static void requireNspawn() {
        NspawnHost.requireNspawn();
    }

    @BeforeEach
    void makeBuild() throws Exception {
        data = directory.resolve("data");
        Path rootfs = BusyboxRoot.make(directory.resolve("rootfs"), "exec sleep 1000");
        try (Spew spew = engine()) {
            CreatedBuild created = spew.builds().create(new BuildCreate(rootfs, "busybox", "1",
                    directory.resolve("busybox-1.tar.zst"), null, false));
            spew.builds().importBuild(new BuildImport(created.archive(), created.signature(), false, null, null, null),
                    ImportProgress.NONE);
            StopPolicy stop = new StopPolicy(Signal.SIGKILL, Duration.ofSeconds(5));
            spew.appliances().apply(new Appliance("server", "nspawn", "busybox@1", List.of("/bin/sh", "-c", SERVER),
                    Map.of(), null, stop, Map.of(), NETWORK, null));
            spew.appliances().apply(new Appliance("client", "nspawn", "busybox@1", List.of("/bin/sh", "-c", CLIENT),
                    Map.of("TARGET", "${target}"), null, stop, Map.of("target", ""), NETWORK, null));
        }
    }

    private Spew engine() {
        return SpewEngine.builder().dataDirectory(data).networkSetting("instance-subnet", "10.78.0.0/16")
                .networkSetting("slice", "7").start();
    }

    @AfterEach
    void removeWhatIsLeft() {
        for (String id : instanceIds) {
            InstanceNetwork.remove(id, BRIDGE);
        }
    }

    @Test
    void twoInstancesReachEachOtherByAddressAndTheirNetworkGoesWithThem() throws Exception {
        try (Spew spew = engine()) {
            try {
                reachByAddress(spew);
            } finally {
                stopAll(spew);
            }
        }
        assertThat(data.resolve("network/leases")).isEmptyDirectory();
    }

    private static void stopAll(Spew spew) {
        for (Instance instance : spew.instances().list()) {
            if (instance.state().isActive()) {
                spew.instances().stop(instance.id().value());
            }
        }
    }

    private void reachByAddress(Spew spew) throws Exception {
        {
            Instance server = spew.instances().run(RunRequest.of("server"));
            instanceIds.add(server.id().value());
            String address = server.spec().env().get("SPEW_INSTANCE_ADDRESS");
            assertThat(address).startsWith("10.78.7.");
            assertThat(server.spec().config()).containsEntry("address", address + "/24")
                    .containsEntry("gateway", "10.78.7.1");
            awaitLog(spew, server.spec().name(), "ready " + address);

            Instance client = spew.instances().run(RunRequest.of("client").withSetting("target", address));
            instanceIds.add(client.id().value());
            String clientAddress = client.spec().env().get("SPEW_INSTANCE_ADDRESS");
            assertThat(clientAddress).startsWith("10.78.7.").isNotEqualTo(address);
            String log = awaitLog(spew, client.spec().name(), "fetched");
            assertThat(log).contains("hello from server-1")
                    .as("its own name in /etc/hosts").contains(clientAddress + "\tclient-1")
                    .as("the resolver is the host's end of the bridge").contains("nameserver 10.78.7.1")
                    .contains("inet " + clientAddress + "/24").contains("default via 10.78.7.1");
            assertThat(InstanceNetwork.exists(BRIDGE)).isTrue();
            assertThat(InstanceNetwork.exists(InstanceNetwork.hostInterface(server.id().value()))).isTrue();
            assertThat(Path.of("/run/netns", InstanceNetwork.namespace(server.id().value()))).exists();

            for (Instance instance : List.of(server, client)) {
                assertThat(spew.instances().stop(instance.spec().name()).state()).isEqualTo(InstanceState.STOPPED);
                assertThat(InstanceNetwork.exists(InstanceNetwork.hostInterface(instance.id().value()))).isFalse();
                assertThat(Path.of("/run/netns", InstanceNetwork.namespace(instance.id().value()))).doesNotExist();
            }
            assertThat(InstanceNetwork.exists(BRIDGE)).as("the bridge goes with its last port").isFalse();

            spew.instances().start(server.spec().name());
            awaitLog(spew, server.spec().name(), "ready " + address + "\n");
            assertThat(spew.instances().get(server.spec().name()).spec().env())
                    .as("an instance keeps its address over restarts").containsEntry("SPEW_INSTANCE_ADDRESS", address);
            spew.instances().stop(server.spec().name());
            spew.instances().remove(server.spec().name());
            spew.instances().remove(client.spec().name());
            assertThat(InstanceNetwork.exists(BRIDGE)).isFalse();
        }
    }

    @Test
    void twoHundredInstancesHaveDistinctAddressesFreedOnRemove() throws Exception {
        try (Spew spew = engine()) {
            Set<String> addresses = new HashSet<>();
            List<Instance> created = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Instance instance = spew.instances().create(RunRequest.of("server"));
                created.add(instance);
                assertThat(addresses.add(instance.spec().env().get("SPEW_INSTANCE_ADDRESS")))
                        .as("address of %s handed out twice", instance.spec().name()).isTrue();
            }
            assertThat(addresses).allMatch(address -> address.startsWith("10.78.7."));
            try (var leases = Files.list(data.resolve("network/leases"))) {
                assertThat(leases.count()).isEqualTo(200);
            }
            for (Instance instance : created) {
                spew.instances().remove(instance.id().value());
            }
            assertThat(data.resolve("network/leases")).isEmptyDirectory();
        }
    }

    @Test
    void publishedPortsAnswerOnLoopbackRangesServeEachInstanceAndATakenPortIsAnError() throws Exception {
        int single = freePort();
        int range = freePort();
        try (Spew spew = engine(); ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            apply(spew, "web", single + ":80");
            apply(spew, "scaled", range + "-" + (range + 1) + ":80");
            apply(spew, "blocked", taken.getLocalPort() + ":80");
            try {
                Instance web = spew.instances().run(RunRequest.of("web"));
                instanceIds.add(web.id().value());
                assertThat(get(single)).contains("hello from web-1");
                for (int index = 1; index <= 2; index++) {
                    instanceIds.add(spew.instances().run(RunRequest.of("scaled")).id().value());
                }
                assertThat(get(range)).contains("hello from scaled-1");
                assertThat(get(range + 1)).contains("hello from scaled-2");
                assertThatThrownBy(() -> spew.instances().run(RunRequest.of("scaled")))
                        .isInstanceOf(SpewException.class).hasMessageContaining("instance scaled-3 has index 3 but ports "
                                + range + "-" + (range + 1) + ":80 publish 2 ports: widen the range");
                assertThatThrownBy(() -> spew.instances().run(RunRequest.of("blocked")))
                        .isInstanceOf(SpewException.class).hasMessage("instance blocked-1 cannot publish port "
                                + taken.getLocalPort() + " (ports " + taken.getLocalPort() + ":80): it is in use on this"
                                + " host; free it or publish another port");
                assertThat(spew.instances().get("blocked-1").state()).isEqualTo(InstanceState.FAILED);
                for (Instance instance : spew.instances().list()) {
                    instanceIds.add(instance.id().value());
                }

                spew.instances().stop("web-1");
                assertThatThrownBy(() -> get(single)).as("the port closes with its instance").isInstanceOf(IOException.class);
                spew.instances().start("web-1");
                assertThat(get(single)).as("and opens again when it starts").contains("hello from web-1");
            } finally {
                stopAll(spew);
            }
        }
        try (ServerSocket again = new ServerSocket(single)) {
            assertThat(again.getLocalPort()).as("the engine closed its ports").isEqualTo(single);
        }
    }

    private static void apply(Spew spew, String name, String ports) {
        Map<String, String> config = new java.util.TreeMap<>(NETWORK);
        config.put("ports", ports);
        spew.appliances().apply(new Appliance(name, "nspawn", "busybox@1", List.of("/bin/sh", "-c", SERVER), Map.of(),
                null, new StopPolicy(Signal.SIGKILL, Duration.ofSeconds(5)), Map.of(), config, null));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** An HTTP GET of / on 127.0.0.1:port, tried until an answer comes (the server may still start). */
    private static String get(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(2000);
                socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (answer.contains("200 OK")) {
                    return answer;
                }
                last = new IOException("answer: " + answer);
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(20);
        }
        throw last;
    }

    private static String awaitLog(Spew spew, String name, String text) throws Exception {
        Path log = spew.instances().log(name, LogStream.STDOUT);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String content = Files.exists(log) ? Files.readString(log) : "";
            if (content.contains(text)) {
                return content;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(name + " did not say '" + text + "': " + readOrEmpty(log)
                + readOrEmpty(spew.instances().log(name, LogStream.STDERR)));
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
