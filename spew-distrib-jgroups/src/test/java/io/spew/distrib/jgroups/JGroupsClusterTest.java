package io.spew.distrib.jgroups;

import static io.spew.distrib.jgroups.TestCluster.await;
import static io.spew.distrib.jgroups.TestCluster.stateOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.host.HostState;
import io.spew.spi.cluster.MemberStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three members in one JVM: membership, messages between members, failure, partition and merge. */
class JGroupsClusterTest {
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
    void everyMemberSeesTheOthersUpWithWhoTheyAre() {
        for (int i = 0; i < 3; i++) {
            List<MemberStatus> seen = members.get(i).members();
            assertThat(seen.get(0)).isEqualTo(new MemberStatus(TestCluster.member("host-" + i), HostState.UP));
            assertThat(seen).containsExactlyInAnyOrder(
                    new MemberStatus(TestCluster.member("host-0"), HostState.UP),
                    new MemberStatus(TestCluster.member("host-1"), HostState.UP),
                    new MemberStatus(TestCluster.member("host-2"), HostState.UP));
        }
    }

    @Test
    void aMessageReachesItsTopicOnTheOtherMemberOnly() throws Exception {
        BlockingQueue<String> atOne = new LinkedBlockingQueue<>();
        BlockingQueue<String> atTwo = new LinkedBlockingQueue<>();
        BlockingQueue<String> otherTopic = new LinkedBlockingQueue<>();
        try (Registration one = members.get(1).onMessage("greetings", (from, payload) -> atOne.add(from + ":" + text(payload)));
                Registration two = members.get(2).onMessage("greetings", (from, payload) -> atTwo.add(from + ":" + text(payload)));
                Registration other = members.get(1).onMessage("other", (from, payload) -> otherTopic.add(text(payload)))) {
            members.get(0).send("host-1", "greetings", "hello one".getBytes(StandardCharsets.UTF_8));
            members.get(2).send("host-1", "greetings", "hello from two".getBytes(StandardCharsets.UTF_8));
            assertThat(List.of(poll(atOne), poll(atOne))).containsExactlyInAnyOrder("host-0:hello one", "host-2:hello from two");
            assertThat(atTwo.poll(300, TimeUnit.MILLISECONDS)).isNull();
            assertThat(otherTopic).isEmpty();
        }
    }

    @Test
    void aClosedMemberIsLostAndCannotBeSentTo() throws Exception {
        members.get(2).close();
        await(() -> stateOf(members.get(0), "host-2") == HostState.LOST && stateOf(members.get(1), "host-2") == HostState.LOST,
                () -> "host-2 lost, seen " + members.get(0).members() + " / " + members.get(1).members());
        assertThatThrownBy(() -> members.get(0).send("host-2", "t", new byte[] {1}))
                .isInstanceOf(SpewException.class)
                .satisfies(e -> assertThat(((SpewException) e).code()).isEqualTo(ErrorCode.HOST_NOT_FOUND))
                .hasMessageContaining("host-2 is lost");
        assertTheFirstTwoStillTalk();
    }

    @Test
    void aSilentMemberGoesSuspectThenLostAndTheOthersKeepWorking() throws Exception {
        List<HostState> seenForTwo = new CopyOnWriteArrayList<>();
        members.get(0).onMembershipChange(list -> list.stream().filter(status -> status.member().id().equals("host-2"))
                .forEach(status -> seenForTwo.add(status.state())));

        DISCARD silence = isolate(members.get(2));

        await(() -> stateOf(members.get(0), "host-2") == HostState.LOST && stateOf(members.get(1), "host-2") == HostState.LOST,
                () -> "host-2 lost, seen " + members.get(0).members() + " / " + members.get(1).members());
        assertThat(seenForTwo).containsSubsequence(HostState.SUSPECT, HostState.LOST);
        assertThat(TestCluster.upCount(members.get(0).members())).isEqualTo(2);
        assertTheFirstTwoStillTalk();
        silence.discardAll(false);
    }

    @Test
    void aPartitionHealsIntoOneView() {
        DISCARD silence = isolate(members.get(2));
        await(() -> stateOf(members.get(0), "host-2") == HostState.LOST && stateOf(members.get(2), "host-0") == HostState.LOST,
                () -> "two partitions, seen " + members.get(0).members() + " / " + members.get(2).members());
        assertThat(members.get(2).channel().getView().size()).isEqualTo(1);

        silence.discardAll(false);

        for (JGroupsClusterTransport member : members) {
            TestCluster.awaitUp(member, 3);
        }
        await(() -> members.stream().map(member -> member.channel().getView().getViewId()).distinct().count() == 1,
                () -> "one view, have " + members.stream().map(member -> member.channel().getView()).toList());
        assertThat(members.get(0).channel().getView().size()).isEqualTo(3);
    }

    private void assertTheFirstTwoStillTalk() throws InterruptedException {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (Registration ignored = members.get(1).onMessage("still", (from, payload) -> received.add(from + ":" + text(payload)))) {
            members.get(0).send("host-1", "still", "here".getBytes(StandardCharsets.UTF_8));
            assertThat(poll(received)).isEqualTo("host-0:here");
        }
    }

    /** Cuts a member off the network: everything it sends or receives is dropped, as if its host died. */
    private static DISCARD isolate(JGroupsClusterTransport member) {
        JChannel channel = member.channel();
        DISCARD discard = new DISCARD();
        discard.setAddress(channel.getAddress());
        try {
            channel.getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TCP.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        discard.discardAll(true);
        return discard;
    }

    private static String poll(BlockingQueue<String> queue) throws InterruptedException {
        return queue.poll(10, TimeUnit.SECONDS);
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
