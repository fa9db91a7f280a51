package io.spew.distrib.jgroups;

import io.spew.spi.cluster.Member;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jgroups.Address;
import org.jgroups.util.ExtendedUUID;

/**
 * A member's identity travels inside its JGroups address (an {@link ExtendedUUID} with one extra entry), so
 * every view carries who each member is without a message of its own.
 */
final class MemberCodec {
    private static final String KEY = "spew-member";

    private MemberCodec() {}

    /** A new JGroups address for {@code member}. */
    static ExtendedUUID address(Member member) {
        ExtendedUUID address = ExtendedUUID.randomUUID(member.id());
        address.put(KEY, encode(member));
        return address;
    }

    /** The member an address belongs to, or empty when it is not a Spew member's address. */
    static Optional<Member> member(Address address) {
        if (!(address instanceof ExtendedUUID extended)) {
            return Optional.empty();
        }
        byte[] bytes = extended.get(KEY);
        if (bytes == null) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            String id = in.readUTF();
            String name = in.readUTF();
            String hostAddress = in.readBoolean() ? in.readUTF() : null;
            int labelCount = in.readUnsignedShort();
            Map<String, String> labels = new TreeMap<>();
            for (int i = 0; i < labelCount; i++) {
                labels.put(in.readUTF(), in.readUTF());
            }
            return Optional.of(new Member(id, name, hostAddress, labels));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static byte[] encode(Member member) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(member.id());
            out.writeUTF(member.name());
            out.writeBoolean(member.address() != null);
            if (member.address() != null) {
                out.writeUTF(member.address());
            }
            if (member.labels().size() > 0xffff) {
                throw new IllegalArgumentException("too many labels on member " + member.id());
            }
            out.writeShort(member.labels().size());
            for (Map.Entry<String, String> label : member.labels().entrySet()) {
                out.writeUTF(label.getKey());
                out.writeUTF(label.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
