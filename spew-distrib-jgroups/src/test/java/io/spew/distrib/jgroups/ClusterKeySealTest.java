package io.spew.distrib.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jgroups.BytesMessage;
import org.jgroups.Message;
import org.jgroups.stack.Protocol;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/** The seal hides what a message says and lets through only what was sealed with the same cluster key. */
class ClusterKeySealTest {
    private static final byte[] SECRET = "the words nobody else may read".getBytes(StandardCharsets.UTF_8);
    private final UUID sender = UUID.randomUUID();
    private final UUID receiver = UUID.randomUUID();

    @Test
    void aSealedMessageHidesItsContentAndOpensWithTheSameKeyOnly() {
        Message sealed = sealWith(TestCluster.KEY, "spew-test");
        assertThat(new String(sealed.getArray(), sealed.getOffset(), sealed.getLength(), StandardCharsets.ISO_8859_1))
                .doesNotContain("nobody");

        Opened sameKey = openWith(TestCluster.KEY, "spew-test", sealed);
        assertThat(sameKey.delivered).hasSize(1);
        assertThat(sameKey.delivered.get(0).<byte[]>getPayload()).isEqualTo(SECRET);
        assertThat(sameKey.delivered.get(0).getSrc()).isEqualTo(sender);
        assertThat(sameKey.seal.rejected()).isZero();

        Opened otherKey = openWith(TestCluster.OTHER_KEY, "spew-test", sealed);
        assertThat(otherKey.delivered).isEmpty();
        assertThat(otherKey.seal.rejected()).isEqualTo(1);

        Opened otherCluster = openWith(TestCluster.KEY, "another-cluster", sealed);
        assertThat(otherCluster.delivered).isEmpty();
    }

    @Test
    void aTamperedOrUnsealedMessageIsDropped() {
        Message sealed = sealWith(TestCluster.KEY, "spew-test");
        byte[] tampered = sealed.getArray().clone();
        tampered[tampered.length - 20] ^= 1;
        Opened afterTampering = openWith(TestCluster.KEY, "spew-test", new BytesMessage(receiver, tampered).setSrc(sender));
        assertThat(afterTampering.delivered).isEmpty();

        Opened plain = openWith(TestCluster.KEY, "spew-test", new BytesMessage(receiver, SECRET).setSrc(sender));
        assertThat(plain.delivered).isEmpty();
        assertThat(plain.seal.rejected()).isEqualTo(1);
    }

    @Test
    void aMessageSealedByOneMemberCannotBeSentAsAnother() {
        Message sealed = sealWith(TestCluster.KEY, "spew-test");
        sealed.setSrc(UUID.randomUUID());
        assertThat(openWith(TestCluster.KEY, "spew-test", sealed).delivered).isEmpty();
    }

    private Message sealWith(String key, String clusterName) {
        ClusterKeySeal seal = new ClusterKeySeal(ClusterKey.parse(key, "test"), clusterName);
        Capture below = new Capture();
        seal.setDownProtocol(below);
        seal.setAddress(sender);
        seal.down(new BytesMessage(receiver, SECRET));
        assertThat(below.messages).hasSize(1);
        return below.messages.get(0);
    }

    private static Opened openWith(String key, String clusterName, Message message) {
        ClusterKeySeal seal = new ClusterKeySeal(ClusterKey.parse(key, "test"), clusterName);
        Capture above = new Capture();
        seal.setUpProtocol(above);
        seal.up(message);
        return new Opened(seal, above.messages);
    }

    private record Opened(ClusterKeySeal seal, List<Message> delivered) {}

    /** The protocol next to the seal: keeps what it is handed. */
    private static final class Capture extends Protocol {
        final List<Message> messages = new ArrayList<>();

        @Override
        public Object down(Message message) {
            messages.add(message);
            return null;
        }

        @Override
        public Object up(Message message) {
            messages.add(message);
            return null;
        }
    }

    @Test
    void keysDeriveTheSameOnEveryHostAndDifferPerLabel() {
        ClusterKey key = ClusterKey.parse(TestCluster.KEY, "test");
        ClusterKey again = ClusterKey.of(Base64.getDecoder().decode(TestCluster.KEY));
        assertThat(key.derive("a").getEncoded()).isEqualTo(again.derive("a").getEncoded()).hasSize(32);
        assertThat(key.derive("a").getEncoded()).isNotEqualTo(key.derive("b").getEncoded());
        assertThat(key.toString()).doesNotContain(TestCluster.KEY);
    }
}
