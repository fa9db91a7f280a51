package io.spew.impl.trust;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.bcpg.BCPGInputStream;
import org.bouncycastle.bcpg.PacketTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;

/**
 * A detached signature file, read strictly: nothing but signature packets, binary or armored as
 * {@code -----BEGIN PGP SIGNATURE-----}. An attached or clearsigned message, a key, or anything
 * else is refused with {@code INVALID_SIGNATURE}, saying what it is.
 */
final class SignatureFile {
    static final int MAX_BYTES = 1 << 20;
    static final int MAX_SIGNATURES = 16;
    private static final String LABEL = "SIGNATURE";
    private static final String CLEARSIGNED =
            "is a clearsigned text (-----BEGIN PGP SIGNED MESSAGE-----), not a detached signature";

    private SignatureFile() {}

    static List<PGPSignature> parse(byte[] file, String what) {
        if (file.length > MAX_BYTES) {
            throw refused(what, "is " + file.length + " bytes, too large for a signature" + firstPacket(file));
        }
        OpenPgpData data;
        try {
            data = OpenPgpData.read(file);
        } catch (OpenPgpData.Unreadable e) {
            throw refused(what, e.getMessage() + ": it must be a detached OpenPGP signature (gpg --detach-sign)");
        }
        if (OpenPgpData.CLEARSIGNED.equals(data.label())) {
            throw refused(what, CLEARSIGNED);
        }
        List<PGPSignature> signatures = signatures(data.packets(), what);
        if (data.label() != null && !data.label().equals(LABEL)) {
            throw refused(what, "is armored as \"PGP " + data.label() + "\", not as \"PGP " + LABEL + "\"");
        }
        return signatures;
    }

    /** What a file too large to be read starts with, when it is binary OpenPGP data or armored. */
    private static String firstPacket(byte[] file) {
        try {
            OpenPgpData data = OpenPgpData.read(java.util.Arrays.copyOf(file, 200));
            if (OpenPgpData.CLEARSIGNED.equals(data.label())) {
                return ": it " + CLEARSIGNED;
            } else if (data.label() != null) {
                return ": it is armored as \"PGP " + data.label() + "\"";
            }
            int tag = new BCPGInputStream(new ByteArrayInputStream(data.packets())).nextPacketTag();
            return tag == PacketTags.SIGNATURE ? "" : ": it " + notSignature(tag);
        } catch (OpenPgpData.Unreadable | IOException | RuntimeException e) {
            return "";
        }
    }

    private static List<PGPSignature> signatures(byte[] packets, String what) {
        List<PGPSignature> signatures = new ArrayList<>();
        try {
            BCPGInputStream in = new BCPGInputStream(new ByteArrayInputStream(packets));
            for (int tag = in.nextPacketTag(); tag >= 0; tag = in.nextPacketTag()) {
                if (tag != PacketTags.SIGNATURE) {
                    throw refused(what, notSignature(tag));
                }
                if (signatures.size() == MAX_SIGNATURES) {
                    throw refused(what, "holds more than " + MAX_SIGNATURES + " signatures");
                }
                signatures.add(new PGPSignature(in));
            }
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof SpewException spew) {
                throw spew;
            }
            throw new SpewException(ErrorCode.INVALID_SIGNATURE, "the signature file of " + what
                    + " is damaged or not an OpenPGP signature (" + e.getMessage() + ")", e);
        }
        if (signatures.isEmpty()) {
            throw refused(what, "holds no signature");
        }
        return signatures;
    }

    private static String notSignature(int tag) {
        return switch (tag) {
            case PacketTags.COMPRESSED_DATA, PacketTags.ONE_PASS_SIGNATURE, PacketTags.LITERAL_DATA ->
                    "is a signed message with the data inside (an attached signature, as gpg --sign makes; it holds "
                            + OpenPgp.describePacket(tag) + "), not a detached signature:"
                            + " make one with gpg --detach-sign";
            case PacketTags.PUBLIC_KEY, PacketTags.PUBLIC_SUBKEY, PacketTags.SECRET_KEY, PacketTags.SECRET_SUBKEY ->
                    "is " + OpenPgp.describePacket(tag) + ", not a signature";
            default -> "holds " + OpenPgp.describePacket(tag) + ", not only signatures";
        };
    }

    static SpewException refused(String what, String problem) {
        return new SpewException(ErrorCode.INVALID_SIGNATURE, "the signature file of " + what + " " + problem);
    }
}
