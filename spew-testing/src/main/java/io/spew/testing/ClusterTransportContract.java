package io.spew.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.Registration;
import io.spew.SpewException;
import io.spew.host.HostState;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.Member;
import io.spew.spi.cluster.MemberStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every cluster transport must do with one member; multi-member behaviour is the transport's own suite. */
public abstract class ClusterTransportContract {
    protected ClusterTransport transport;

    /** The member the transport under test runs as. */
    protected static final Member LOCAL = new Member("host-a", "a.example", "127.0.0.1", java.util.Map.of("zone", "z1"));

    /** A started transport whose local member is {@link #LOCAL}. */
    protected abstract ClusterTransport start(Member local);

    @BeforeEach
    void startTransport() {
        transport = start(LOCAL);
    }

    @AfterEach
    void closeTransport() {
        transport.close();
    }

    @Test
    void theLocalMemberIsUpAndFirst() {
        List<MemberStatus> members = transport.members();
        assertThat(members).isNotEmpty();
        assertThat(members.get(0)).isEqualTo(new MemberStatus(LOCAL, HostState.UP));
    }

    @Test
    void aMessageToTheLocalMemberReachesItsTopicOnly() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        BlockingQueue<String> other = new LinkedBlockingQueue<>();
        try (Registration ignored = transport.onMessage("greetings", (from, payload) ->
                received.add(from + ":" + new String(payload, StandardCharsets.UTF_8)));
                Registration alsoIgnored = transport.onMessage("other", (from, payload) -> other.add("x"))) {
            transport.send(LOCAL.id(), "greetings", "hello".getBytes(StandardCharsets.UTF_8));
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(LOCAL.id() + ":hello");
            assertThat(other).isEmpty();
        }
    }

    @Test
    void aClosedRegistrationReceivesNothingMore() throws Exception {
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        Registration registration = transport.onMessage("t", (from, payload) -> received.add(payload));
        registration.close();
        registration.close();
        transport.send(LOCAL.id(), "t", new byte[] {1});
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aMessageToAnUnknownMemberIsRefused() {
        assertThatThrownBy(() -> transport.send("nobody", "t", new byte[0])).isInstanceOf(SpewException.class);
    }
}
