package io.spew.impl.instance;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.Spew;
import io.spew.environment.StartOptions;
import io.spew.impl.SpewEngine;
import io.spew.impl.environment.EnvironmentFileLoader;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import io.spew.service.HealthCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Instances follow the healthy addresses of the services they use: real shell instances, health checks
 * against real ports on loopback, real signals and restarts. Service {@code db} has two instances whose
 * checks probe ports this test opens and closes.
 */
class ServiceFollowerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DB = """
            name: db
            runtime: shell
            options: { port: "0" }
            env: { PEERS: "${service.db.addresses}" }
            command: "exec sleep 300"
            services: [{ name: db, port: "${port}", check: { tcp: "127.0.0.1:${port}", interval: 100ms, timeout: 500ms, retries: 1 } }]
            """;

    @TempDir
    Path data;

    @TempDir
    Path directory;

    private Spew spew;
    private final Map<Integer, ServerSocket> ports = new HashMap<>();
    private final Map<String, Integer> dbPorts = new HashMap<>();
    private final List<Instance> changes = new CopyOnWriteArrayList<>();
    private String hostIp;
    private int dnsPort;

    @BeforeEach
    void start() throws Exception {
        try (java.net.DatagramSocket free = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            dnsPort = free.getLocalPort();
        }
        spew = SpewEngine.builder().dataDirectory(data).networkSetting("dns-listen", "127.0.0.1:" + dnsPort)
                .networkSetting(ServiceFollower.WAIT_SETTING, "200ms").start();
        spew.instances().onChange(changes::add);
        hostIp = spew.hosts().list().get(0).address();
        spew.appliances().apply("db.yaml", DB);
        for (String name : List.of("db-a", "db-b")) {
            int port = open(0);
            dbPorts.put(name, port);
            spew.instances().run(RunRequest.of("db").withName(name).withSetting("port", Integer.toString(port)));
        }
        await("db-a", this::healthy);
        await("db-b", this::healthy);
    }

    @AfterEach
    void close() throws IOException {
        if (spew != null) {
            spew.instances().list().stream().filter(i -> i.state().isActive()).forEach(i -> spew.instances().stop(i.name()));
            spew.close();
        }
        for (ServerSocket socket : ports.values()) {
            socket.close();
        }
    }

    @Test
    void shellInstancesOfferTheHostsAddressAndTheirPort() throws Exception {
        assertThat(spew.instances().get("db-a").spec().services().get(0).port()).as("the run's setting")
                .isEqualTo(Integer.toString(port("db-a")));
        assertThat(hostIp).isNotEqualTo("127.0.0.1");
        assertThat(spew.services().list().get(0).addresses()).as("shell instances share the host's network")
                .containsExactlyInAnyOrderElementsOf(ports.keySet().stream().map(port -> hostIp + ":" + port).toList());
        SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
        resolver.setPort(dnsPort);
        resolver.setTimeout(Duration.ofSeconds(2));
        Message srv = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("db.service.spew."), Type.SRV,
                DClass.IN)));
        assertThat(srv.getSection(Section.ANSWER)).as("one SRV record per instance, each its own port and name")
                .extracting(Record::rdataToString).containsExactlyInAnyOrder(
                        "1 1 " + port("db-a") + " db-a.instance.spew.", "1 1 " + port("db-b") + " db-b.instance.spew.");
        Message a = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("db.service.spew."), Type.A,
                DClass.IN)));
        assertThat(a.getSection(Section.ANSWER)).as("both on the host's address").extracting(Record::rdataToString)
                .containsExactly(hostIp);
        String both = String.join(",", sorted(address("db-a"), address("db-b")));
        Instance peer = await("db-a", i -> both.equals(i.spec().env().get("PEERS")));
        assertThat(peer.restarts()).as("its own service's members moved: rendered again, not restarted").isZero();
    }

    @Test
    void aSignalledInstanceGetsItsFilesRenderedAgainAndKeepsRunning() throws Exception {
        Instance web = startEnvironment("on_change: { signal: HUP }", 1);
        Path conf = files(web).resolve("conf/db.conf");
        String both = String.join(",", sorted(address("db-a"), address("db-b")));
        assertThat(Files.readString(conf)).isEqualTo("db=" + both + "\n");
        awaitLog("web-1", "started DB=" + both);

        close("db-b");
        String one = address("db-a");
        awaitLog("web-1", "reloaded db=" + one);
        Instance after = spew.instances().get("web-1");
        assertThat(after.pid()).as("signalled, not restarted").isEqualTo(web.pid());
        assertThat(after.restarts()).isZero();
        assertThat(Files.readString(conf)).isEqualTo("db=" + one + "\n");
        assertThat(after.spec().env()).containsEntry("DB", one).containsEntry("SPEW_SERVICE_DB_ADDRS", one);
        assertThat(after.spec().command().get(2)).contains("echo started DB=$DB");

        open(port("db-b"));
        awaitLog("web-1", "reloaded db=" + both);
        assertThat(Files.readString(conf)).isEqualTo("db=" + both + "\n");
        assertThat(spew.instances().get("web-1").pid()).isEqualTo(web.pid());
        assertThat(spew.instances().get("db-a").restarts()).as("peers are not restarted for each other").isZero();
        assertThat(spew.instances().get("db-a").spec().env()).as("but their values follow").containsEntry("PEERS", both);
    }

    @Test
    void restartedInstancesGoOneAtATimeWithTheNewAddresses() throws Exception {
        startEnvironment("", 3);
        Map<String, Long> pids = new HashMap<>();
        for (String name : List.of("web-1", "web-2", "web-3")) {
            pids.put(name, spew.instances().get(name).pid());
        }
        changes.clear();
        close("db-a");
        String one = address("db-b");
        for (String name : pids.keySet()) {
            Instance restarted = await(name, i -> i.restarts() == 1 && i.state() == InstanceState.RUNNING);
            assertThat(restarted.pid()).isNotEqualTo(pids.get(name));
            assertThat(restarted.spec().env()).containsEntry("DB", one);
            awaitLog(name, "started DB=" + one);
            assertThat(Files.readString(files(restarted).resolve("conf/db.conf"))).isEqualTo("db=" + one + "\n");
        }
        assertThat(mostDownAtOnce()).as("one instance at a time").isEqualTo(1);
        List<String> order = changes.stream().filter(i -> i.state() == InstanceState.STOPPED).map(Instance::name).toList();
        assertThat(order).containsExactly("web-1", "web-2", "web-3");
    }

    @Test
    void aFlappingCheckDoesNotStormTheInstancesThatUseIt() throws Exception {
        startEnvironment("on_change: { signal: HUP }", 1);
        int port = port("db-b");
        long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        while (System.nanoTime() < until) {
            close("db-b");
            Thread.sleep(120);
            open(port);
            Thread.sleep(120);
        }
        close("db-b");
        awaitLog("web-1", "reloaded db=" + address("db-a"));
        long reloads = Files.readAllLines(spew.instances().log("web-1", LogStream.STDOUT)).stream()
                .filter(line -> line.startsWith("reloaded")).count();
        assertThat(reloads).as("a few reloads, not one per flap").isLessThanOrEqualTo(2);
    }

    @Test
    void aChangeWhileNoEngineRanIsFollowedByTheNextEngine() throws Exception {
        Instance web = startEnvironment("on_change: { signal: HUP }", 1);
        spew.close();
        close("db-b"); // nobody watches: db-b is found unhealthy by the next engine
        spew = SpewEngine.builder().dataDirectory(data).networkSetting("dns-listen", "none")
                .networkSetting(ServiceFollower.WAIT_SETTING, "200ms").start();
        awaitLog("web-1", "reloaded db=" + address("db-a"));
        assertThat(spew.instances().get("web-1").pid()).as("adopted and signalled").isEqualTo(web.pid());
    }

    @Test
    void noneOnlyRendersAgain() throws Exception {
        Instance web = startEnvironment("on_change: none", 1);
        close("db-b");
        String one = address("db-a");
        Instance after = await("web-1", i -> one.equals(i.spec().env().get("DB")));
        assertThat(Files.readString(files(after).resolve("conf/db.conf"))).isEqualTo("db=" + one + "\n");
        Thread.sleep(300);
        assertThat(Files.readString(spew.instances().log("web-1", LogStream.STDOUT))).doesNotContain("reloaded");
        assertThat(spew.instances().get("web-1").pid()).isEqualTo(web.pid());
    }

    /** Starts {@code web} (uses db: env, template file, a shell that says when it reloads); returns web-1. */
    private Instance startEnvironment(String onChange, int count) throws IOException {
        Files.writeString(directory.resolve("spew.yaml"), """
                appliances:
                  web:
                    runtime: shell
                    %s
                    env: { DB: "${service.db.addresses}" }
                    command: ["/bin/sh", "-c", "trap 'echo reloaded $(cat ${instance.files}/conf/db.conf)' HUP; echo started DB=$DB; while true; do sleep 0.05; done"]
                instances: { web: %d }
                """.formatted(onChange, count));
        Files.createDirectories(directory.resolve("templates/web/conf"));
        Files.writeString(directory.resolve("templates/web/conf/db.conf.spewtmpl"), "db=${service.db.addresses}\n");
        spew.environments().start(EnvironmentFileLoader.load(directory.resolve("spew.yaml")), null, StartOptions.defaults());
        return spew.instances().get("web-1");
    }

    private int mostDownAtOnce() {
        Map<String, InstanceState> states = new HashMap<>();
        int most = 0;
        for (Instance change : changes) {
            if (change.appliance().equals("web")) {
                states.put(change.name(), change.state());
                most = Math.max(most, (int) states.values().stream().filter(state -> state != InstanceState.RUNNING).count());
            }
        }
        return most;
    }

    private Path files(Instance instance) {
        return data.resolve("instances").resolve(instance.id().value()).resolve("files");
    }

    private int port(String db) {
        return dbPorts.get(db);
    }

    private String address(String db) {
        return hostIp + ":" + port(db);
    }

    private static List<String> sorted(String... values) {
        List<String> list = new ArrayList<>(List.of(values));
        list.sort(null);
        return list;
    }

    private int open(int port) throws IOException {
        ServerSocket socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        ports.put(socket.getLocalPort(), socket);
        return socket.getLocalPort();
    }

    private void close(String db) throws IOException {
        ports.get(port(db)).close();
    }

    private boolean healthy(Instance instance) {
        return instance.health().equals(HealthCheck.HEALTHY);
    }

    private Instance await(String name, Predicate<Instance> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Instance instance = spew.instances().get(name);
            if (condition.test(instance)) {
                return instance;
            }
            assertThat(System.nanoTime()).as("waiting for " + name + ", now " + instance).isLessThan(deadline);
            sleep();
        }
    }

    private void awaitLog(String name, String line) throws IOException {
        Path log = spew.instances().log(name, LogStream.STDOUT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.readAllLines(log).contains(line)) {
            assertThat(System.nanoTime()).as("waiting for '" + line + "' in " + Files.readString(log)).isLessThan(deadline);
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
