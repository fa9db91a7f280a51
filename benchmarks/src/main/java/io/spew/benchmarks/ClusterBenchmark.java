package io.spew.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.impl.json.Json;
import io.spew.spi.cluster.ClusterContext;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.ClusterTransportFactory;
import io.spew.spi.cluster.Member;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.jgroups.JChannel;
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
import org.jgroups.stack.Protocol;

/**
 * {@code cluster}: three real daemons on loopback make a cluster ({@code cluster init}, {@code cluster join});
 * {@code spew start} of an environment of 300 shell {@code sleep} instances (60 with {@code --quick}) on one of
 * them is timed until every instance runs on its host, beside one daemon alone converging the same environment
 * in the same run ({@code RATIO cluster-converge}); then the daemon of one host and its instances get SIGKILL,
 * and the time until its instances run on the other two is printed ({@code RATIO cluster-reschedule} against
 * the default {@code --reschedule-after}, 10 s). Membership: 8 members of the {@code jgroups} transport form a
 * cluster in this JVM (each sees 8 up), against a plain JGroups stack of the same protocols without the seal
 * forming a view of 8 ({@code RATIO cluster-formation}), both with a join timeout of 1 s.
 */
final class ClusterBenchmark implements Benchmark {
    private static final long DEADLINE_NANOS = 600_000_000_000L;
    private static final int FORMATION_MEMBERS = 8;
    private static final int JOIN_TIMEOUT_MILLIS = 1000;

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public List<Ratio> run(boolean quick, PrintStream out) throws Exception {
        int count = quick ? 60 : 300;
        double jgroups = formJGroups();
        double spew = formSpew();
        out.printf(Locale.ROOT, "cluster: %d members form a view (plain JGroups, this JVM): %.2f s%n",
                FORMATION_MEMBERS, jgroups);
        out.printf(Locale.ROOT, "cluster: %d members of the jgroups transport all up (sealed, this JVM): %.2f s%n",
                FORMATION_MEMBERS, spew);
        Path environment = Files.createTempFile("spew-cluster-", ".yaml");
        Files.writeString(environment, """
                appliances:
                  sleeper:
                    runtime: shell
                    command: ["/bin/sleep", "3600"]
                instances: { sleeper: %d }
                """.formatted(count));
        try {
            double alone = convergeAlone(environment, count);
            out.printf(Locale.ROOT, "cluster: one daemon alone converges %d instances: %.2f s%n", count, alone);
            double[] cluster = convergeInCluster(environment, count, out);
            out.printf(Locale.ROOT, "cluster: three daemons converge %d instances from spew start: %.2f s%n", count,
                    cluster[0]);
            out.printf(Locale.ROOT, "cluster: a host's loss (SIGKILL of its daemon and instances) to its %d instances"
                    + " running on the others: %.2f s%n", (int) cluster[2], cluster[1]);
            return List.of(new Ratio("cluster-converge", cluster[0] / alone, "one-daemon-alone"),
                    new Ratio("cluster-reschedule", cluster[1] / 10.0, "reschedule-after-10s"),
                    new Ratio("cluster-formation", spew / jgroups, "plain-jgroups-view-of-8"));
        } finally {
            Files.deleteIfExists(environment);
        }
    }

    private static double convergeAlone(Path environment, int count) throws Exception {
        try (BenchDaemon daemon = BenchDaemon.start("spew-cluster-alone-")) {
            long start = System.nanoTime();
            cli(daemon.data(), "start", environment.toString(), "--timeout", "10m");
            await(() -> running(daemon.get("/api/v1/instances")) == count, "every instance running");
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** Convergence seconds, host-loss seconds, and how many instances the lost host ran. */
    private static double[] convergeInCluster(Path environment, int count, PrintStream out) throws Exception {
        List<BenchDaemon> hosts = new ArrayList<>();
        try {
            int[] ports = {freePortPair(), freePortPair(), freePortPair()};
            hosts.add(BenchDaemon.start("spew-cluster-0-", "--cluster-listen", "127.0.0.1:" + ports[0]));
            String init = cli(hosts.get(0).data(), "cluster", "init");
            hosts.set(0, BenchDaemon.attach(hosts.get(0).data())); // init started the daemon again
            String token = init.strip().lines().reduce((first, second) -> second).orElseThrow();
            for (int i = 1; i < 3; i++) {
                Path data = Files.createTempDirectory(Path.of("/var/tmp"), "spew-cluster-" + i + "-");
                try {
                    cli(data, "cluster", "join", "--cluster-listen", "127.0.0.1:" + ports[i], token);
                    hosts.add(BenchDaemon.attach(data));
                } catch (Exception e) {
                    Trees.delete(data);
                    throw e;
                }
            }
            for (BenchDaemon host : hosts) {
                await(() -> upHosts(host.get("/api/v1/hosts")) == 3, "three hosts up");
            }
            long start = System.nanoTime();
            cli(hosts.get(1).data(), "start", environment.toString(), "--timeout", "10m");
            await(() -> running(hosts.get(0).get("/api/v1/instances")) == count, "every instance running");
            double converge = (System.nanoTime() - start) / 1e9;

            BenchDaemon victim = hosts.get(2);
            String victimId = Files.readString(victim.data().resolve("cluster/host-id")).strip();
            int lost = (int) instances(victim.get("/api/v1/instances")).stream()
                    .filter(instance -> instance.path("host").asText().equals(victimId)).count();
            long killed = System.nanoTime();
            victim.kill();
            await(() -> runningExcept(hosts.get(0).get("/api/v1/instances"), victimId) == count,
                    "the lost host's instances running on the others");
            return new double[] {converge, (System.nanoTime() - killed) / 1e9, lost};
        } finally {
            for (BenchDaemon host : hosts) {
                try {
                    host.close();
                } catch (Exception e) {
                    out.println("cluster: could not stop a daemon: " + e);
                }
            }
        }
    }

    private static List<JsonNode> instances(String json) throws IOException {
        List<JsonNode> list = new ArrayList<>();
        Json.mapper().readTree(json).forEach(list::add);
        return list;
    }

    private static long running(String json) throws IOException {
        return instances(json).stream().filter(instance -> instance.path("state").asText().equals("running")).count();
    }

    private static long runningExcept(String json, String host) throws IOException {
        return instances(json).stream().filter(instance -> instance.path("state").asText().equals("running")
                && !instance.path("host").asText().equals(host)).count();
    }

    private static long upHosts(String json) throws IOException {
        return instances(json).stream().filter(host -> host.path("state").asText().equals("up")).count();
    }

    private static String cli(Path data, String... arguments) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(BenchDaemon.cli(data, arguments)).redirectErrorStream(true);
        builder.environment().put("SPEW_LISTEN", "127.0.0.1:0"); // the daemons that join start on a free port
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("spew " + String.join(" ", arguments) + " failed: " + output);
        }
        return output;
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("cluster benchmark: timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Seconds until 8 plain JGroups channels, connected side by side, each see a view of 8. */
    private static double formJGroups() throws Exception {
        List<Integer> ports = ports(FORMATION_MEMBERS);
        List<JChannel> channels = new ArrayList<>();
        ExecutorService starting = Executors.newFixedThreadPool(FORMATION_MEMBERS);
        try {
            long start = System.nanoTime();
            List<Future<JChannel>> connected = new ArrayList<>();
            for (int port : ports) {
                connected.add(starting.submit(() -> {
                    JChannel channel = new JChannel(plainStack(port, ports));
                    channel.connect("spew-bench-plain");
                    return channel;
                }));
            }
            for (Future<JChannel> future : connected) {
                channels.add(future.get());
            }
            await(() -> channels.stream().allMatch(channel -> channel.getView().size() == FORMATION_MEMBERS),
                    "a view of 8");
            return (System.nanoTime() - start) / 1e9;
        } finally {
            starting.shutdownNow();
            channels.forEach(JChannel::close);
        }
    }

    private static List<Protocol> plainStack(int port, List<Integer> ports) throws IOException {
        TCP tcp = new TCP();
        tcp.setBindAddress(InetAddress.getLoopbackAddress());
        tcp.setBindPort(port);
        tcp.setPortRange(0);
        TCPPING discovery = new TCPPING();
        discovery.setInitialHosts(ports.stream()
                .map(other -> new InetSocketAddress(InetAddress.getLoopbackAddress(), other))
                .collect(Collectors.toList()));
        discovery.setPortRange(0);
        GMS membership = new GMS();
        membership.setJoinTimeout(JOIN_TIMEOUT_MILLIS);
        membership.printLocalAddress(false);
        NAKACK2 multicast = new NAKACK2();
        multicast.useMcastXmit(false);
        return List.of(tcp, discovery, new MERGE3(), new FD_ALL3(), new VERIFY_SUSPECT2(), multicast,
                new UNICAST3(), new STABLE(), membership, new FRAG4());
    }

    /** Seconds until 8 members of the jgroups transport, started side by side, each see 8 up. */
    private static double formSpew() throws Exception {
        ClusterTransportFactory factory = ServiceLoader.load(ClusterTransportFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(candidate -> candidate.name().equals("jgroups"))
                .findFirst().orElseThrow(() -> new IOException("no jgroups cluster transport on the class path"));
        List<Integer> ports = ports(FORMATION_MEMBERS); // the replicated state listens one port up
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        String seeds = ports.stream().map(port -> "127.0.0.1[" + port + "]").collect(Collectors.joining(","));
        List<ClusterTransport> transports = new ArrayList<>();
        ExecutorService starting = Executors.newFixedThreadPool(FORMATION_MEMBERS);
        try {
            long start = System.nanoTime();
            List<Future<ClusterTransport>> started = new ArrayList<>();
            for (int i = 0; i < FORMATION_MEMBERS; i++) {
                Map<String, String> config = new TreeMap<>(Map.of("bind-address", "127.0.0.1",
                        "port", Integer.toString(ports.get(i)), "initial-members", seeds, "cluster-name", "spew-bench",
                        "cluster-key", key, "join-timeout-ms", Integer.toString(JOIN_TIMEOUT_MILLIS)));
                Member member = new Member("bench-" + i, "bench-" + i, "127.0.0.1", Map.of());
                started.add(starting.submit(() -> {
                    ClusterTransport transport = factory.create(new ClusterContext() {
                        @Override
                        public Member localMember() {
                            return member;
                        }

                        @Override
                        public Map<String, String> config() {
                            return config;
                        }
                    });
                    transport.start();
                    return transport;
                }));
            }
            for (Future<ClusterTransport> future : started) {
                transports.add(future.get());
            }
            BooleanSupplier allUp = () -> transports.stream().allMatch(transport -> transport.members().stream()
                    .filter(status -> status.state() == io.spew.host.HostState.UP).count() == FORMATION_MEMBERS);
            await(allUp::getAsBoolean, "8 members up");
            return (System.nanoTime() - start) / 1e9;
        } finally {
            starting.shutdownNow();
            transports.forEach(ClusterTransport::close);
        }
    }

    private static List<Integer> ports(int count) throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(freePortPair());
        }
        return ports;
    }

    /** A loopback port below the ephemeral range that is free, with the one above it free too. */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket first = new ServerSocket(); ServerSocket second = new ServerSocket()) {
                first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                second.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1));
                return port;
            } catch (IOException taken) {
                // another
            }
        }
        throw new IOException("no two free ports side by side in 20000..32000");
    }
}
