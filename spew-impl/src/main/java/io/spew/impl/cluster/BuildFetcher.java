package io.spew.impl.cluster;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.build.Build;
import io.spew.build.BuildFetch;
import io.spew.build.BuildId;
import io.spew.build.BuildImport;
import io.spew.build.ImportLimits;
import io.spew.build.ImportProgress;
import io.spew.impl.build.BuildStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Fetches a build this host lacks from the hosts that may have it, one after the other: the archive is copied
 * into a scratch directory of the build store (hashed as it arrives, never more bytes than announced), its
 * sha256 must be the one asked for, and it is then imported as {@code spew build import} imports (the signature
 * checked against the trusted keys, the archive's rules enforced) with that sha256 required. A host whose copy
 * fails any of it is skipped for the next; whatever it sent is removed. Each step is announced through
 * {@link BuildStore#announce}.
 */
final class BuildFetcher {
    static final int CHUNK_BYTES = 1 << 20;
    private static final long PROGRESS_BYTES = 8L << 20;
    private static final System.Logger LOG = System.getLogger(BuildFetcher.class.getName());

    private final BuildStore store;

    BuildFetcher(BuildStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** The build {@code id}, fetched from the first of {@code sources} whose copy passes; throws when none does. */
    Build fetch(BuildId id, List<BuildSource> sources) {
        List<String> failures = new ArrayList<>();
        ErrorCode code = ErrorCode.BUILD_NOT_FOUND;
        for (BuildSource source : sources) {
            try {
                return fetchFrom(id, source);
            } catch (SpewException e) {
                failures.add("host " + source.host() + ": " + e.getMessage());
                if (e.code() != ErrorCode.BUILD_NOT_FOUND) { // a host that lacks it too is no failure to tell
                    code = e.code();
                    announce(id, source.host(), BuildFetch.Phase.FAILED, 0, 0, e.getMessage());
                }
            }
        }
        String why = failures.isEmpty() ? "no other host is up to ask" : String.join("; ", failures);
        throw new SpewException(code, "cannot fetch build " + id + ": " + why
                + " (import it on this host with 'spew build import FILE')");
    }

    private Build fetchFrom(BuildId id, BuildSource source) {
        BuildSource.Offer offer = source.offer(id);
        long limit = ImportLimits.DEFAULT.maxTotalBytes();
        if (offer.archiveBytes() < 0 || offer.archiveBytes() > limit) {
            throw new SpewException(ErrorCode.INVALID_BUILD, "it offers an archive of " + offer.archiveBytes()
                    + " bytes, outside 0 to " + limit + ": not fetched");
        }
        if (offer.signature() == null) {
            throw new SpewException(ErrorCode.UNSIGNED_BUILD, "its copy was imported unsigned, and a build"
                    + " fetched from another host must be signed by a trusted key");
        }
        String from = offer.name() + "@" + offer.version();
        announce(id, source.host(), BuildFetch.Phase.FETCHING, 0, offer.archiveBytes(), from);
        Path scratch = store.newScratch();
        try {
            Path archive = scratch.resolve("archive");
            Path signature = Files.write(scratch.resolve("archive.sig"), offer.signature());
            copy(id, source, offer, archive);
            Build build = store.importExpected(new BuildImport(archive, signature, false, offer.name(),
                    offer.version(), null), id, ImportProgress.NONE);
            announce(id, source.host(), BuildFetch.Phase.FETCHED, offer.archiveBytes(), offer.archiveBytes(),
                    build.reference());
            return build;
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot keep what it sent in " + scratch + ": " + e, e);
        } finally {
            BuildStore.discardScratch(scratch);
        }
    }

    /** Copies the archive, hashing it; throws unless it has exactly the bytes announced and the sha256 asked for. */
    private void copy(BuildId id, BuildSource source, BuildSource.Offer offer, Path archive) throws IOException {
        MessageDigest sha256 = sha256();
        long received = 0;
        long reported = 0;
        try (OutputStream out = Files.newOutputStream(archive)) {
            while (received < offer.archiveBytes()) {
                int length = (int) Math.min(CHUNK_BYTES, offer.archiveBytes() - received);
                byte[] chunk = source.read(id, received, length);
                if (chunk.length == 0 || chunk.length > length) {
                    throw new SpewException(ErrorCode.INVALID_BUILD, "it sent " + chunk.length + " bytes at offset "
                            + received + " where " + length + " were asked: not kept");
                }
                sha256.update(chunk);
                out.write(chunk);
                received += chunk.length;
                if (received - reported >= PROGRESS_BYTES) {
                    reported = received;
                    announce(id, source.host(), BuildFetch.Phase.FETCHING, received, offer.archiveBytes(), null);
                }
            }
        }
        String hash = HexFormat.of().formatHex(sha256.digest());
        if (!hash.equals(id.sha256())) {
            throw new SpewException(ErrorCode.INVALID_BUILD, "it sent an archive whose sha256 is " + hash
                    + ", not the one asked for: not kept");
        }
    }

    private void announce(BuildId id, String host, BuildFetch.Phase phase, long bytes, long total, String detail) {
        BuildFetch step = new BuildFetch(Instant.now(), id, host, phase, bytes, total, detail);
        if (phase != BuildFetch.Phase.FETCHING || bytes == 0) {
            LOG.log(phase == BuildFetch.Phase.FAILED ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                    () -> phase + " build " + step.shortId() + " from host " + host + ": " + detail);
        }
        store.announce(step);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
