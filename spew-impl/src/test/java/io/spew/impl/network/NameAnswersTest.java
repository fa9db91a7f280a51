package io.spew.impl.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.Registration;
import io.spew.host.HostState;
import io.spew.impl.appliance.ApplianceStore;
import io.spew.impl.host.HostFacts;
import io.spew.impl.os.LinuxHostProcesses;
import io.spew.impl.runtime.EngineRuntimeContext;
import io.spew.impl.runtime.RuntimeRegistry;
import io.spew.impl.service.ReportedInstances;
import io.spew.impl.service.ServiceAddresses;
import io.spew.impl.state.DataDirectory;
import io.spew.instance.Instance;
import io.spew.instance.InstanceId;
import io.spew.instance.InstanceSpec;
import io.spew.instance.InstanceState;
import io.spew.runtime.noop.VoidRuntimeFactory;
import io.spew.service.HealthCheck;
import io.spew.service.ServiceDefinition;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.Member;
import io.spew.spi.cluster.MemberStatus;
import io.spew.spi.cluster.MessageListener;
import io.spew.spi.cluster.ReplicatedState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The DNS answers of a host in a cluster of three: service {@code db} runs here, on host B (on B's address, and
 * with an instance network on its own address) and on host C, which is lost; the answers name the healthy ones of
 * this host and of B, each at its own host's address.
 */
class NameAnswersTest {
    private static final String DB = """
            name: db
            runtime: void
            services: [{ name: db, port: "5432", check: { tcp: 5432 } }]
            """;
    private static final HostFacts HERE = new HostFacts("host-a", "a", "10.0.0.1", 1, 1);

    @TempDir
    Path data;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<MemberStatus> members = new ArrayList<>(List.of(
            new MemberStatus(new Member("host-a", "a", "10.0.0.1", Map.of()), HostState.UP),
            new MemberStatus(new Member("host-b", "b", "10.0.0.2", Map.of()), HostState.UP),
            new MemberStatus(new Member("host-c", "c", "10.0.0.3", Map.of()), HostState.LOST)));
    private RuntimeRegistry runtimes;
    private ReportedInstances reported;
    private NameAnswers answers;

    @BeforeEach
    void wire() {
        runtimes = new RuntimeRegistry(new EngineRuntimeContext(new LinuxHostProcesses(), scheduler),
                List.of(new VoidRuntimeFactory()));
        DataDirectory directory = new DataDirectory(data);
        directory.create();
        ApplianceStore appliances = new ApplianceStore(directory, runtimes);
        appliances.apply("db.yaml", DB);
        reported = new ReportedInstances(HERE, new Members());
        List<Instance> local = List.of(instance("db-1", "host-a", HealthCheck.HEALTHY, Map.of()));
        answers = new NameAnswers(() -> local, new ServiceAddresses(appliances, HERE, reported));
    }

    @AfterEach
    void close() throws IOException {
        runtimes.close();
        scheduler.shutdownNow();
    }

    @Test
    void aServiceIsAnsweredWithTheHealthyInstancesOfEveryHostAtTheirHostsAddresses() throws IOException {
        reported.told("host-b", List.of(
                instance("db-2", "host-b", HealthCheck.HEALTHY, Map.of()),
                instance("db-3", "host-b", HealthCheck.HEALTHY, Map.of("network", "private", "address", "10.77.1.5/24")),
                instance("db-4", "host-b", HealthCheck.UNHEALTHY, Map.of())));
        reported.told("host-c", List.of(instance("db-5", "host-c", HealthCheck.HEALTHY, Map.of())));

        assertThat(records(ask("db.service.spew.", Type.A), Section.ANSWER))
                .containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2", "10.77.1.5");
        assertThat(records(ask("db.service.spew.", Type.SRV), Section.ANSWER)).containsExactly(
                "1 1 5432 db-1.instance.spew.", "1 1 5432 db-2.instance.spew.", "1 1 5432 db-3.instance.spew.");
        assertThat(records(ask("db-2.instance.spew.", Type.A), Section.ANSWER)).containsExactly("10.0.0.2");
        assertThat(ask("db-5.instance.spew.", Type.A).getHeader().getRcode()).as("its host is lost")
                .isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void aHostAloneAnswersWithItsOwnInstances() throws IOException {
        members.subList(1, members.size()).clear();

        assertThat(records(ask("db.service.spew.", Type.A), Section.ANSWER)).containsExactly("10.0.0.1");
    }

    private Message ask(String name, int type) throws IOException {
        return answers.answer(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static List<String> records(Message message, int section) {
        return message.getSection(section).stream().map(Record::rdataToString).toList();
    }

    private static Instance instance(String name, String host, String health, Map<String, String> config) {
        InstanceSpec spec = new InstanceSpec(name, "db", 1, "void", null, List.of(), Map.of(), null, null, config,
                null, List.of(new ServiceDefinition("db", "5432", new HealthCheck("5432"))));
        return new Instance(InstanceId.random(), spec, host, InstanceState.RUNNING, health, 1L, 0, null,
                Instant.now(), Instant.now(), null, null);
    }

    /** The members of the test's cluster, as a transport would list them; it carries no messages. */
    private final class Members implements ClusterTransport {
        @Override
        public void start() {}

        @Override
        public List<MemberStatus> members() {
            return List.copyOf(members);
        }

        @Override
        public Registration onMembershipChange(Consumer<List<MemberStatus>> listener) {
            return () -> {};
        }

        @Override
        public void send(String memberId, String topic, byte[] payload) {
            throw new UnsupportedOperationException("no messages in this test");
        }

        @Override
        public Registration onMessage(String topic, MessageListener listener) {
            return () -> {};
        }

        @Override
        public ReplicatedState replicatedState() {
            throw new UnsupportedOperationException("no replicated state in this test");
        }

        @Override
        public void close() {}
    }
}
