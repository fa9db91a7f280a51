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
import io.spew.service.HealthCheck;
import io.spew.service.ServiceDefinition;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
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
            + " fetch() { printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 1 \"$1\" 80; };"
            + " for i in $(seq 200); do out=$(fetch \"$TARGET\");"
            + " if echo \"$out\" | grep -q hello; then echo \"$out\"; echo fetched by address; break; fi; sleep 0.05; done;"
            + " for i in $(seq 200); do"
            + " ip=$(nslookup \"$TARGET_NAME\" 2>/dev/null | sed -n 's/^Address:[[:space:]]*\\([0-9.]*\\)$/\\1/p' | tail -1);"
            + " if [ -n \"$ip\" ] && fetch \"$ip\" | grep -q hello; then echo \"fetched by name as $ip\"; exec sleep 1000; fi;"
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
                    Map.of("TARGET", "${target}", "TARGET_NAME", "${name}"), null, stop, Map.of("target", "", "name", ""),
                    NETWORK, null));
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

            Instance client = spew.instances().run(RunRequest.of("client").withSetting("target", address)
                    .withSetting("name", "server-1.instance.spew"));
            instanceIds.add(client.id().value());
            String clientAddress = client.spec().env().get("SPEW_INSTANCE_ADDRESS");
            assertThat(clientAddress).startsWith("10.78.7.").isNotEqualTo(address);
            String log = awaitLog(spew, client.spec().name(), "fetched by name as " + address);
            assertThat(log).contains("hello from server-1").contains("fetched by address")
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

    @Test
    void aPortPublishedOnIpv6LoopbackAnswersThereOnlyAndOneWithoutAnAddressOnIpv6Too() throws Exception {
        int ipv6 = freePort();
        int every = freePort();
        try (Spew spew = engine()) {
            apply(spew, "six", "[::1]:" + ipv6 + ":80," + every + ":80");
            try {
                Instance six = spew.instances().run(RunRequest.of("six"));
                instanceIds.add(six.id().value());

                assertThat(getFrom("::1", ipv6)).contains("hello from six-1");
                assertThat(getFrom("::1", every)).as("every address, IPv6 included").contains("hello from six-1");
                assertThat(getFrom("127.0.0.1", every)).contains("hello from six-1");
                assertThatThrownBy(() -> new Socket("127.0.0.1", ipv6).close()).as("published on [::1] only")
                        .isInstanceOf(IOException.class);
            } finally {
                stopAll(spew);
            }
        }
    }

    @Test
    void anUnhealthyInstanceLeavesTheServiceInDnsAndServiceAddresses() throws Exception {
        Path flags = directory.resolve("flags");
        Files.createDirectories(flags.resolve("web-1"));
        Files.createDirectories(flags.resolve("web-2"));
        Files.writeString(flags.resolve("web-1/healthy"), "");
        Files.writeString(flags.resolve("web-2/healthy"), "");
        try (Spew spew = engine()) {
            Map<String, String> config = new java.util.TreeMap<>(NETWORK);
            config.put("bind", flags + "/${instance.name}:/flags");
            HealthCheck check = new HealthCheck(null, null, List.of("test", "-f", "/flags/healthy"), Duration.ofMillis(200),
                    Duration.ofSeconds(2), 1, Duration.ZERO);
            StopPolicy stop = new StopPolicy(Signal.SIGKILL, Duration.ofSeconds(5));
            spew.appliances().apply(new Appliance("web", "nspawn", "busybox@1", List.of("/bin/sh", "-c", SERVER),
                    Map.of(), null, stop, Map.of(), config, null, null, List.of(new ServiceDefinition("web", "80", check)),
                    null, null));
            spew.appliances().apply(new Appliance("reader", "nspawn", "busybox@1", List.of(),
                    Map.of("ADDRS", "${service.web.addresses}"), null, stop, Map.of(), Map.of(), null));
            try {
                Instance first = spew.instances().run(RunRequest.of("web"));
                Instance second = spew.instances().run(RunRequest.of("web"));
                instanceIds.add(first.id().value());
                instanceIds.add(second.id().value());
                String firstAddress = first.spec().env().get("SPEW_INSTANCE_ADDRESS");
                String secondAddress = second.spec().env().get("SPEW_INSTANCE_ADDRESS");
                SimpleResolver resolver = new SimpleResolver(InetAddress.getByName("10.78.7.1"));
                resolver.setTimeout(Duration.ofMillis(500));
                assertThat(awaitAnswer(resolver, "web.service.spew.", Type.A, 2)).containsExactlyInAnyOrder(
                        firstAddress, secondAddress);

                Files.delete(flags.resolve("web-2/healthy"));
                assertThat(awaitAnswer(resolver, "web.service.spew.", Type.A, 1)).containsExactly(firstAddress);
                Message srv = resolver.send(query("web.service.spew.", Type.SRV));
                assertThat(srv.getSection(Section.ANSWER)).hasSize(1).first().asString()
                        .contains("1 1 80 web-1.instance.spew.");
                assertThat(srv.getSection(Section.ADDITIONAL)).first().asString().contains(firstAddress);
                assertThat(spew.instances().create(RunRequest.of("reader")).spec().env())
                        .as("${service.web.addresses} lists healthy instances").containsEntry("ADDRS", firstAddress + ":80");
                assertThat(addresses(resolver.send(query("web-2.instance.spew.", Type.A))))
                        .as("a running instance keeps its name").containsExactly(secondAddress);
                assertThat(resolver.send(query("nothing.service.spew.", Type.A)).getRcode()).isEqualTo(Rcode.NXDOMAIN);
                assertThat(resolver.send(query("example.com.", Type.A)).getRcode()).isEqualTo(Rcode.REFUSED);

                Files.writeString(flags.resolve("web-2/healthy"), "");
                assertThat(awaitAnswer(resolver, "web.service.spew.", Type.A, 2)).as("healthy again").hasSize(2);

                int queries = 2000;
                long began = System.nanoTime();
                for (int i = 0; i < queries; i++) {
                    assertThat(resolver.send(query("web.service.spew.", Type.A)).getRcode()).isZero();
                }
                double seconds = (System.nanoTime() - began) / 1e9;
                System.out.printf("FIGURE dns: %d answers of web.service.spew (2 instances) in %.2f s: %.0f answers/s,"
                        + " one client, one query at a time%n", queries, seconds, queries / seconds);
            } finally {
                stopAll(spew);
            }
        }
    }

    private static Message query(String name, int type) throws Exception {
        return Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    private static List<String> addresses(Message answer) {
        return answer.getSection(Section.ANSWER).stream().filter(ARecord.class::isInstance)
                .map(record -> ((ARecord) record).getAddress().getHostAddress()).toList();
    }

    /** The A records of a name, asked until there are {@code count} of them. */
    private static List<String> awaitAnswer(SimpleResolver resolver, String name, int type, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> last = List.of();
        while (System.nanoTime() < deadline) {
            try {
                last = addresses(resolver.send(query(name, type)));
                if (last.size() == count) {
                    return last;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " has " + last + ", not " + count + " addresses");
    }

    /** The figure: from {@code run} to an answer on the instance's address, against nspawn's start alone. */
    @Test
    void timeToAnswerOnTheAddress() throws Exception {
        try (Spew spew = engine()) {
            spew.appliances().apply(new Appliance("plain", "nspawn", "busybox@1", List.of("/bin/sh", "-c", SERVER),
                    Map.of(), null, new StopPolicy(Signal.SIGKILL, Duration.ofSeconds(5)), Map.of(), Map.of(), null));
            try {
                long plain = 0;
                long networked = 0;
                long answered = 0;
                int rounds = 5;
                for (int round = 0; round < rounds; round++) {
                    long began = System.nanoTime();
                    Instance instance = spew.instances().run(RunRequest.of("plain"));
                    awaitLog(spew, instance.spec().name(), "ready");
                    plain += System.nanoTime() - began;
                    spew.instances().stop(instance.spec().name());
                    spew.instances().remove(instance.spec().name());

                    began = System.nanoTime();
                    instance = spew.instances().run(RunRequest.of("server"));
                    instanceIds.add(instance.id().value());
                    awaitLog(spew, instance.spec().name(), "ready");
                    networked += System.nanoTime() - began;
                    getFrom(instance.spec().env().get("SPEW_INSTANCE_ADDRESS"), 80);
                    answered += System.nanoTime() - began;
                    spew.instances().stop(instance.spec().name());
                    spew.instances().remove(instance.spec().name());
                }
                System.out.printf("FIGURE network start (mean of %d): run to 'ready' without a network %d ms, with one %d ms;"
                        + " run to an HTTP answer on the instance's address %d ms%n", rounds, plain / rounds / 1_000_000,
                        networked / rounds / 1_000_000, answered / rounds / 1_000_000);
                assertThat(answered).isPositive();
            } finally {
                stopAll(spew);
            }
        }
    }

    private static void apply(Spew spew, String name, String ports) {
        Map<String, String> config = new java.util.TreeMap<>(NETWORK);
        config.put("ports", ports);
        spew.appliances().apply(new Appliance(name, "nspawn", "busybox@1", List.of("/bin/sh", "-c", SERVER), Map.of(),
                null, new StopPolicy(Signal.SIGKILL, Duration.ofSeconds(5)), Map.of(), config, null));
    }

    private static int freePort() {
        return io.spew.testing.ListenPorts.free();
    }

    /** An HTTP GET of / on 127.0.0.1:port, tried until an answer comes (the server may still start). */
    private static String get(int port) throws Exception {
        return getFrom(InetAddress.getLoopbackAddress().getHostAddress(), port);
    }

    private static String getFrom(String address, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket(address, port)) {
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
