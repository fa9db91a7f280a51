package io.spew.distrib.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.Registration;
import io.spew.SpewException;
import io.spew.spi.cluster.MemberStatus;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Event;
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
import org.jgroups.stack.IpAddress;
import org.jgroups.util.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Without the cluster key nobody joins the cluster or gets a message to its members. */
class JGroupsSecurityTest {
    private TestCluster cluster;
    private List<JGroupsClusterTransport> members;

    @BeforeEach
    void startThree() {
        cluster = new TestCluster(3);
        members = cluster.startAll();
    }

    @AfterEach
    void closeAll() {
        cluster.close();
    }

    @Test
    void aMemberWithAnotherKeyCannotJoin() throws Exception {
        TestCluster intruders = new TestCluster(1);
        intruders.ports.addAll(cluster.ports);
        try (intruders) {
            JGroupsClusterTransport intruder = intruders.start(0, TestCluster.member("intruder"), TestCluster.OTHER_KEY);

            // Over two merge rounds (merge-interval-ms 2000) nobody lets it in ...
            Thread.sleep(4500);
            for (JGroupsClusterTransport member : members) {
                assertThat(ids(member.members())).containsExactlyInAnyOrder("host-0", "host-1", "host-2");
                assertThat(member.channel().getView().size()).isEqualTo(3);
            }
            assertThat(ids(intruder.members())).containsExactly("intruder");
            assertThat(intruder.channel().getView().size()).isEqualTo(1);
            assertThatThrownBy(() -> intruder.send("host-0", "t", new byte[] {1})).isInstanceOf(SpewException.class);
            // ... though it knocked: its discovery and merge messages arrived and were refused.
            assertThat(members).allSatisfy(member -> assertThat(member.rejectedMessages()).isPositive());
        }
    }

    @Test
    void aChannelWithoutTheKeyCannotDeliverAMessage() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        JGroupsClusterTransport target = members.get(0);
        long rejectedBefore = target.rejectedMessages();
        try (Registration ignored = target.onMessage("greetings", (from, payload) -> received.add(from));
                JChannel raw = unsealedChannel(TestCluster.freePort())) {
            raw.connect("spew-test");
            // Give the raw channel the member's address and where it listens, as an eavesdropper could learn them.
            Address address = target.channel().getAddress();
            raw.down(new Event(Event.ADD_PHYSICAL_ADDRESS,
                    new Tuple<>(address, new IpAddress(InetAddress.getLoopbackAddress(), cluster.ports.get(0)))));
            byte[] forged = new TopicMessage("greetings", "let me in".getBytes(StandardCharsets.UTF_8)).encode();
            raw.send(new BytesMessage(address, forged));

            assertThat(received.poll(3, TimeUnit.SECONDS)).isNull();
            assertThat(target.rejectedMessages()).isGreaterThan(rejectedBefore);
            assertThat(raw.getView().size()).isEqualTo(1);
            assertThat(ids(target.members())).doesNotContain("raw");
        }
    }

    /** The transport's own stack without the seal, speaking as a Spew member named "raw". */
    private JChannel unsealedChannel(int port) throws Exception {
        TCP tcp = new TCP();
        tcp.setBindAddress(InetAddress.getLoopbackAddress());
        tcp.setBindPort(port);
        TCPPING discovery = new TCPPING();
        discovery.setInitialHosts(cluster.ports.stream().map(p -> new HostAndPort("127.0.0.1", p).socketAddress()).toList());
        discovery.setPortRange(0);
        GMS membership = new GMS();
        membership.setJoinTimeout(1000);
        JChannel raw = new JChannel(tcp, discovery, new MERGE3(), new FD_ALL3(), new VERIFY_SUSPECT2(),
                new NAKACK2().useMcastXmit(false), new UNICAST3(), new STABLE(), membership, new FRAG4());
        raw.addAddressGenerator(() -> MemberCodec.address(TestCluster.member("raw")));
        return raw;
    }

    private static List<String> ids(List<MemberStatus> members) {
        return members.stream().map(status -> status.member().id()).toList();
    }
}
