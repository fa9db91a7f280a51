package io.spew.benchmarks;

import io.spew.Spew;
import io.spew.appliance.Appliance;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import io.spew.service.HealthCheck;
import io.spew.service.ServiceDefinition;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * {@code network} (root, systemd-nspawn, iproute2), on a bridge of its own ({@value #BRIDGE}, 10.79.9.0/24, no
 * uplink):
 * <ul>
 *   <li>{@code network-answer}: from {@code instances().run()} of a busybox {@code httpd} with {@code network:
 *       private} until it answers HTTP on its address, against the same start without a network until its
 *       {@code /run.sh} runs (the nspawn start alone), alternating, same run;</li>
 *   <li>{@code network-dns}: answers per second of the host's resolver to {@code web.service.spew} (A, two
 *       healthy instances), {@value #CLIENTS} clients asking one query at a time each, against the same clients
 *       and queries sent to a one-thread UDP responder in this JVM that returns each query as its answer (a DNS
 *       round trip with no lookup at all).</li>
 * </ul>
 */
final class NetworkBenchmark implements Benchmark {
    private static final String BRIDGE = "spewbench0";
    private static final String GATEWAY = "10.79.9.1";
    private static final int CLIENTS = 4;
    private static final String SERVER = "mkdir -p /www && echo hello > /www/index.html && echo ready"
            + " && exec httpd -f -p 80 -h /www";
    private static final StopPolicy KILL = new StopPolicy(Signal.SIGKILL, Duration.ofSeconds(5));

    @Override
    public String name() {
        return "network";
    }

    @Override
    public List<Ratio> run(boolean quick, PrintStream out) throws Exception {
        Path work = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/var/tmp")), "spew-network-bench-");
        try (Spew spew = SpewEngine.builder().dataDirectory(work.resolve("data"))
                .networkSetting("instance-subnet", "10.79.0.0/16").networkSetting("slice", "9").start()) {
            BusyboxBuilds.importBuild(spew, work, "box", 0, List.of("sh", "echo", "mkdir", "httpd", "sleep"), "exec sleep 1000");
            Map<String, String> network = Map.of("network", "private", "bridge", BRIDGE);
            spew.appliances().apply(new Appliance("plain", "nspawn", "box@1", List.of("/bin/sh", "-c", SERVER), Map.of(),
                    null, KILL, Map.of(), Map.of(), null));
            spew.appliances().apply(new Appliance("web", "nspawn", "box@1", List.of("/bin/sh", "-c", SERVER), Map.of(),
                    null, KILL, Map.of(), network, null, null, List.of(new ServiceDefinition("web", "80",
                    new HealthCheck("80"))), null, null));
            List<Ratio> ratios = new ArrayList<>();
            ratios.add(answer(spew, quick ? 5 : 20, out));
            ratios.add(dns(spew, quick ? 2_000 : 20_000, out));
            return ratios;
        } finally {
            Trees.delete(work);
        }
    }

    private Ratio answer(Spew spew, int rounds, PrintStream out) throws Exception {
        Samples plain = new Samples(rounds);
        Samples ready = new Samples(rounds);
        Samples answered = new Samples(rounds);
        for (int round = 0; round < rounds; round++) {
            long began = System.nanoTime();
            Instance instance = spew.instances().run(RunRequest.of("plain"));
            awaitReady(spew, instance);
            plain.add(System.nanoTime() - began);
            end(spew, instance);

            began = System.nanoTime();
            instance = spew.instances().run(RunRequest.of("web"));
            awaitReady(spew, instance);
            ready.add(System.nanoTime() - began);
            awaitHttp(instance.spec().env().get("SPEW_INSTANCE_ADDRESS"));
            answered.add(System.nanoTime() - began);
            end(spew, instance);
        }
        out.printf("network: run() without a network until /run.sh runs: %s%n", plain.describe());
        out.printf("network: run() with network: private until /run.sh runs: %s%n", ready.describe());
        out.printf("network: run() with network: private until HTTP answers on the instance's address: %s%n",
                answered.describe());
        return new Ratio("network-answer", answered.medianMillis() / plain.medianMillis(), "the nspawn start alone");
    }

    private Ratio dns(Spew spew, int queries, PrintStream out) throws Exception {
        List<Instance> web = List.of(spew.instances().run(RunRequest.of("web")), spew.instances().run(RunRequest.of("web")));
        try {
            awaitAddresses(2);
            double spewRate = rate(new InetSocketAddress(GATEWAY, 53), queries);
            double floorRate;
            try (DatagramSocket responder = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                Thread echo = new Thread(() -> respond(responder), "udp-responder");
                echo.setDaemon(true);
                echo.start();
                floorRate = rate((InetSocketAddress) responder.getLocalSocketAddress(), queries);
                echo.interrupt();
            }
            out.printf("network: host resolver, web.service.spew A (2 healthy instances), %d clients: %.0f answers/s%n",
                    CLIENTS, spewRate);
            out.printf("network: a UDP responder returning each query, same clients: %.0f answers/s%n", floorRate);
            return new Ratio("network-dns", floorRate / spewRate, "a UDP responder returning each query");
        } finally {
            for (Instance instance : web) {
                end(spew, instance);
            }
        }
    }

    /**
     * Answers per second to {@code queries} queries of {@code web.service.spew}, {@value #CLIENTS} clients at once,
     * after a round of the same size to warm up.
     */
    private static double rate(InetSocketAddress server, int queries) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            askAll(clients, server, queries);
            long began = System.nanoTime();
            askAll(clients, server, queries);
            return queries / ((System.nanoTime() - began) / 1e9);
        } finally {
            clients.shutdownNow();
        }
    }

    private static void askAll(ExecutorService clients, InetSocketAddress server, int queries) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            running.add(clients.submit(() -> ask(server, queries / CLIENTS)));
        }
        for (Future<?> future : running) {
            future.get();
        }
    }

    private static Void ask(InetSocketAddress server, int count) throws Exception {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTimeout(Duration.ofSeconds(2));
        Message query = Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString("web.service.spew."), Type.A, DClass.IN));
        for (int i = 0; i < count; i++) {
            Message answer = resolver.send(query);
            if (answer.getRcode() != Rcode.NOERROR) {
                throw new IllegalStateException("web.service.spew: " + Rcode.string(answer.getRcode()));
            }
        }
        return null;
    }

    /** Sends every datagram back as a response (the QR bit set), until the socket closes. */
    private static void respond(DatagramSocket socket) {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                buffer[2] |= (byte) 0x80;
                socket.send(new DatagramPacket(buffer, packet.getLength(), packet.getSocketAddress()));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void awaitAddresses(int count) throws Exception {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getByName(GATEWAY));
        resolver.setTimeout(Duration.ofMillis(500));
        Message query = Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString("web.service.spew."), Type.A, DClass.IN));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (resolver.send(query).getSection(Section.ANSWER).stream().filter(ARecord.class::isInstance).count() == count) {
                    return;
                }
            } catch (IOException notYet) {
                // the resolver binds once the bridge is there
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("web.service.spew never had " + count + " healthy addresses");
    }

    private static void awaitReady(Spew spew, Instance instance) throws Exception {
        Path log = spew.instances().log(instance.spec().name(), LogStream.STDOUT);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains("ready")) {
                return;
            }
            Thread.sleep(0, 200_000);
        }
        throw new IllegalStateException(instance.spec().name() + " never said ready");
    }

    private static void awaitHttp(String address) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, 80), 1000);
                socket.setSoTimeout(2000);
                socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("200 OK")) {
                    return;
                }
            } catch (IOException notYet) {
                // the server is not listening yet
            }
            Thread.sleep(0, 500_000);
        }
        throw new IllegalStateException(address + ":80 never answered");
    }

    private static void end(Spew spew, Instance instance) {
        spew.instances().stop(instance.spec().name());
        spew.instances().remove(instance.spec().name());
    }
}
