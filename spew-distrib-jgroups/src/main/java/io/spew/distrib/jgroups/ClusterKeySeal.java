package io.spew.distrib.jgroups;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Message;
import org.jgroups.stack.Protocol;
import org.jgroups.util.ByteArray;
import org.jgroups.util.FastArray;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.Util;

/**
 * The protocol right above TCP that seals every message with AES-256-GCM under a key derived from the
 * cluster key. The whole message is sealed (headers of every protocol above, flags, source, payload), so
 * discovery, failure detection, merge, membership and application messages are all encrypted and
 * authenticated; a message that does not open (wrong key, tampered, not sealed) is dropped and counted.
 */
final class ClusterKeySeal extends Protocol {
    /** The HKDF label of the sealing key; a new format gets a new label. */
    static final String KEY_LABEL = "spew jgroups seal v1";

    private static final System.Logger LOG = System.getLogger(ClusterKeySeal.class.getName());
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final byte[] associatedData;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong rejected = new AtomicLong();

    ClusterKeySeal(ClusterKey clusterKey, String clusterName) {
        this.key = requireNonNull(clusterKey, "clusterKey is null").derive(KEY_LABEL);
        this.associatedData = ("spew cluster " + requireNonNull(clusterName, "clusterName is null"))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** How many messages arrived that did not open. */
    long rejected() {
        return rejected.get();
    }

    @Override
    public Object down(Message message) {
        if (message.getSrc() == null) {
            message.setSrc(local_addr);
        }
        return down_prot.down(seal(message));
    }

    @Override
    public Object up(Message message) {
        Message opened = open(message);
        return opened == null ? null : up_prot.up(opened);
    }

    @Override
    public void up(MessageBatch batch) {
        // as JGroups' own SERIALIZE does: the batch's iterator replaces in place
        FastArray<Message>.FastIterator messages = (FastArray<Message>.FastIterator) batch.iterator();
        while (messages.hasNext()) {
            Message opened = open(messages.next());
            if (opened == null) {
                messages.remove();
            } else {
                messages.replace(opened);
            }
        }
        if (!batch.isEmpty()) {
            up_prot.up(batch);
        }
    }

    private Message seal(Message message) {
        try {
            ByteArray plain = Util.messageToBuffer(message);
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = new byte[NONCE_BYTES + cipher.getOutputSize(plain.getLength())];
            System.arraycopy(nonce, 0, sealed, 0, NONCE_BYTES);
            cipher.doFinal(plain.getArray(), plain.getOffset(), plain.getLength(), sealed, NONCE_BYTES);
            Message outer = new BytesMessage(message.getDest(), sealed).setSrc(message.getSrc());
            outer.setFlag(message.getFlags(), false);
            for (Message.TransientFlag flag : Message.TransientFlag.values()) {
                if (message.isFlagSet(flag)) {
                    outer.setFlag(flag);
                }
            }
            return outer;
        } catch (Exception e) {
            throw new IllegalStateException("cannot seal a message to " + message.getDest(), e);
        }
    }

    /** The message inside, or null when it does not open. */
    private Message open(Message outer) {
        byte[] array = outer.getArray();
        int length = outer.getLength();
        if (array == null || length < NONCE_BYTES + TAG_BITS / 8) {
            return reject(outer, "too short to be sealed");
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, array, outer.getOffset(), NONCE_BYTES));
            cipher.updateAAD(associatedData);
            plain = cipher.doFinal(array, outer.getOffset() + NONCE_BYTES, length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            return reject(outer, "not sealed with this cluster's key");
        }
        try {
            Message inner = Util.messageFromBuffer(plain, 0, plain.length);
            Address claimed = inner.getSrc();
            if (claimed == null || outer.getSrc() != null && !claimed.equals(outer.getSrc())) {
                return reject(outer, "sealed by " + claimed + " but sent by " + outer.getSrc());
            }
            if (inner.getDest() == null) {
                inner.setDest(outer.getDest());
            }
            return inner;
        } catch (Exception e) {
            return reject(outer, "sealed content unreadable: " + e);
        }
    }

    private Message reject(Message outer, String why) {
        rejected.incrementAndGet();
        LOG.log(Level.DEBUG, () -> "dropped a message from " + outer.getSrc() + ": " + why);
        return null;
    }
}
