package io.spew.impl.trust;

import io.spew.trust.Trust;
import io.spew.trust.TrustedKey;
import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.state.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGInputStream;
import org.bouncycastle.bcpg.PacketTags;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;

/**
 * Spew's own trust store in {@code <data>/trust/}: one armored public key per file, named
 * {@code <FINGERPRINT>.asc}; never the user's {@code ~/.gnupg}. Files are read at each use, so that
 * the command line and the daemon see the same keys.
 */
public final class TrustStore implements Trust {
    private static final System.Logger LOG = System.getLogger(TrustStore.class.getName());
    private static final String SUFFIX = ".asc";

    private final Path directory;
    private final Clock clock;

    public TrustStore(Path trustDirectory) {
        this(trustDirectory, Clock.systemUTC());
    }

    TrustStore(Path trustDirectory, Clock clock) {
        this.directory = requireNonNull(trustDirectory, "trustDirectory is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Every trusted key, sorted by fingerprint. */
    @Override
    public List<TrustedKey> list() {
        return validatedKeyRings(clock.instant()).stream().map(ValidatedKeyRing::toTrustedKey).toList();
    }

    /**
     * Trusts the public key of a key file, armored or binary; of a secret key file, its public part.
     * A key already trusted is replaced by the one given (new subkeys, new expiry), except that a
     * revocation is never dropped: adding a revoked key that is already trusted records its
     * revocation, then refuses.
     *
     * @throws SpewException {@code INVALID_KEY} for anything but one valid key with a user id
     */
    @Override
    public TrustedKey add(byte[] keyFile) {
        requireNonNull(keyFile, "keyFile is null");
        PGPPublicKeyRing ring = parseKey(keyFile);
        Instant now = clock.instant();
        ValidatedKeyRing key = ValidatedKeyRing.of(ring, now);
        String fingerprint = key.fingerprint();
        ValidatedKeyRing.KeyState primary = key.primary();
        if (primary.revocation() != null) {
            boolean recorded = Files.exists(file(fingerprint));
            if (recorded) {
                write(fingerprint, ring);
            }
            throw new SpewException(ErrorCode.INVALID_KEY, "key " + fingerprint + " was revoked on "
                    + primary.revocation().at() + " (" + primary.revocation().reason() + ")"
                    + (recorded ? ": it was trusted; its revocation is now recorded and its signatures are refused"
                            : ": it cannot be trusted"));
        }
        PGPPublicKeyRing storedRing = read(fingerprint);
        ValidatedKeyRing stored = storedRing == null ? null : ValidatedKeyRing.of(storedRing, now);
        if (stored != null && stored.primary().revocation() != null) {
            throw new SpewException(ErrorCode.INVALID_KEY, "key " + fingerprint + " is recorded as revoked on "
                    + stored.primary().revocation().at() + ": it cannot be trusted again");
        }
        if (key.userId() == null) {
            throw new SpewException(ErrorCode.INVALID_KEY, "key " + fingerprint
                    + " has no user id certified by the key itself: export it with its user ids");
        }
        if (primary.expiredAt(now)) {
            throw new SpewException(ErrorCode.INVALID_KEY, "key " + fingerprint + " (" + key.userId()
                    + ") expired on " + primary.expires() + ": get a copy with a later expiry from its owner");
        }
        write(fingerprint, ring);
        return key.toTrustedKey();
    }

    /**
     * Stops trusting a key, given by its full fingerprint (any case, spaces allowed).
     *
     * @throws SpewException {@code KEY_NOT_FOUND} if it is not trusted
     */
    @Override
    public void remove(String fingerprint) {
        requireNonNull(fingerprint, "fingerprint is null");
        String normalized = OpenPgp.normalizeFingerprint(fingerprint);
        if (normalized == null) {
            throw new SpewException(ErrorCode.KEY_NOT_FOUND, "\"" + fingerprint
                    + "\" is not a full fingerprint (40 hex digits): see them with spew trust ls");
        }
        try {
            if (!Files.deleteIfExists(file(normalized))) {
                throw new SpewException(ErrorCode.KEY_NOT_FOUND, "no trusted key has fingerprint " + normalized
                        + ": see them with spew trust ls");
            }
            AtomicFiles.syncDirectory(directory);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot remove " + file(normalized) + ": " + e.getMessage(), e);
        }
    }

    /** Whether a key with this primary fingerprint is trusted. */
    boolean contains(String fingerprint) {
        return Files.exists(file(fingerprint));
    }

    /** The trusted key rings, each checked against its own signatures now. */
    List<ValidatedKeyRing> validatedKeyRings(Instant now) {
        return keyRings().stream().map(ring -> ValidatedKeyRing.of(ring, now)).toList();
    }

    Clock clock() {
        return clock;
    }

    private List<PGPPublicKeyRing> keyRings() {
        List<Path> files;
        try (Stream<Path> entries = Files.list(directory)) {
            files = entries.filter(file -> isKeyFile(file.getFileName().toString())).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read the trust store " + directory + ": "
                    + e.getMessage(), e);
        }
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        for (Path file : files) {
            PGPPublicKeyRing ring = read(file.getFileName().toString().substring(0, 40));
            if (ring != null) {
                rings.add(ring);
            }
        }
        rings.sort(Comparator.comparing(ring -> OpenPgp.fingerprint(ring.getPublicKey())));
        return rings;
    }

    /** The stored key with this fingerprint, or null; a file that is not that key is ignored, with a warning. */
    private PGPPublicKeyRing read(String fingerprint) {
        Path file = file(fingerprint);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            PGPPublicKeyRing ring = parseKey(content);
            if (!OpenPgp.fingerprint(ring.getPublicKey()).equals(fingerprint)) {
                LOG.log(Level.WARNING, "ignoring {0}: it holds key {1}", file,
                        OpenPgp.fingerprint(ring.getPublicKey()));
                return null;
            }
            return ring;
        } catch (SpewException e) {
            LOG.log(Level.WARNING, "ignoring {0}: {1}", file, e.getMessage());
            return null;
        }
    }

    private void write(String fingerprint, PGPPublicKeyRing ring) {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            AtomicFiles.write(file(fingerprint), armor(ring));
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot write to the trust store " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    private Path file(String fingerprint) {
        return directory.resolve(fingerprint + SUFFIX);
    }

    private static boolean isKeyFile(String name) {
        return name.length() == 40 + SUFFIX.length() && name.endsWith(SUFFIX)
                && name.substring(0, 40).matches("[0-9A-F]{40}");
    }

    static byte[] armor(PGPPublicKeyRing ring) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(bytes)) {
            ring.encode(armor, true);
        }
        return bytes.toByteArray();
    }

    /**
     * The one public key of a key file: a public key ring, or the public part of a secret key ring.
     * Anything else, several keys, or more after the key is refused.
     */
    static PGPPublicKeyRing parseKey(byte[] keyFile) {
        OpenPgpData data;
        try {
            data = OpenPgpData.read(keyFile);
        } catch (OpenPgpData.Unreadable e) {
            throw new SpewException(ErrorCode.INVALID_KEY, "the key file " + e.getMessage());
        }
        if (data.packets() == null) {
            throw new SpewException(ErrorCode.INVALID_KEY, "the key file is a clearsigned text, not a key");
        }
        try {
            BCPGInputStream packets = new BCPGInputStream(new ByteArrayInputStream(data.packets()));
            int tag = packets.skipMarkerAndPaddingPackets();
            PGPPublicKeyRing ring;
            if (tag == PacketTags.PUBLIC_KEY) {
                ring = new PGPPublicKeyRing(packets, OpenPgp.FINGERPRINTS);
            } else if (tag == PacketTags.SECRET_KEY) {
                ring = new PGPSecretKeyRing(packets, OpenPgp.FINGERPRINTS).toCertificate();
            } else {
                throw new SpewException(ErrorCode.INVALID_KEY, "the key file is not an OpenPGP key: it starts with "
                        + OpenPgp.describePacket(tag));
            }
            if (packets.nextPacketTag() >= 0) {
                throw new SpewException(ErrorCode.INVALID_KEY, "the key file holds more than one key, or more after"
                        + " the key (" + OpenPgp.describePacket(packets.nextPacketTag()) + "): give one key per file");
            }
            PGPPublicKey primary = ring.getPublicKey();
            if (primary.getVersion() != 4) {
                throw new SpewException(ErrorCode.INVALID_KEY, "key " + OpenPgp.hex(primary.getFingerprint())
                        + " is a version " + primary.getVersion() + " key; Spew trusts version 4 keys only");
            }
            return ring;
        } catch (IOException | org.bouncycastle.openpgp.PGPException | RuntimeException e) {
            if (e instanceof SpewException spew) {
                throw spew;
            }
            throw new SpewException(ErrorCode.INVALID_KEY, "the key file is not a valid OpenPGP key ("
                    + e.getMessage() + ")", e);
        }
    }
}
