package io.spew.impl.build;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.build.Build;
import io.spew.build.BuildId;
import io.spew.build.BuildImport;
import io.spew.build.BuildSigner;
import io.spew.build.ImportLimits;
import io.spew.build.ImportProgress;
import io.spew.impl.extract.Decompressors;
import io.spew.impl.extract.ExtractionLimits;
import io.spew.impl.extract.ExtractionReport;
import io.spew.impl.extract.SafeExtractor;
import io.spew.impl.state.Trees;
import io.spew.impl.trust.SignatureVerifier;
import java.io.BufferedOutputStream;
import java.io.IOException;
import org.apache.commons.io.input.CloseShieldInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One pass over an archive: its bytes are hashed and verified as they stream into the extractor,
 * which unpacks them into a private staging directory; the signature is checked at the end, before
 * anything is put in place. Whatever fails, the staging directory is removed. The archive and its
 * signature are kept beside the root filesystem ({@value #ARCHIVE}, {@value #SIGNATURE}), as read:
 * the other hosts of a cluster fetch them from there and verify them again.
 */
final class BuildImporter {
    private static final System.Logger LOG = System.getLogger(BuildImporter.class.getName());
    static final String STAGING_PREFIX = ".staging-";
    static final String ARCHIVE = "archive";
    static final String SIGNATURE = "signature";
    private static final int MAX_SIGNATURE_BYTES = 1 << 20;
    private static final int READ_BUFFER = 1 << 20;

    private final Path buildsDirectory;
    private final SignatureVerifier verifier;

    BuildImporter(Path buildsDirectory, SignatureVerifier verifier) {
        this.buildsDirectory = requireNonNull(buildsDirectory, "buildsDirectory is null");
        this.verifier = requireNonNull(verifier, "verifier is null");
    }

    /** A verified, unpacked build in {@code staging} ({@code rootfs/} inside), not yet in the store. */
    record StagedBuild(Path staging, Build build) {}

    StagedBuild stage(BuildImport request, ImportProgress progress) {
        Path archive = request.archive();
        String what = archive.toString();
        long size = size(archive);
        Optional<Path> signature = signatureOf(request);
        SignatureVerifier.Verification verification = null;
        byte[] signatureBytes = null;
        if (signature.isPresent()) {
            signatureBytes = readSignature(signature.get());
            verification = verifier.begin(signatureBytes, signature.get().toString());
        } else if (!request.allowUnsigned()) {
            throw new SpewException(ErrorCode.UNSIGNED_BUILD, what + " has no signature (" + archive.getFileName()
                    + ".asc or .sig beside it, or --signature FILE): sign it ('spew build create' does),"
                    + " or import it with --allow-unsigned");
        }
        Path staging = createStaging();
        try {
            Path rootfs = Files.createDirectory(staging.resolve("rootfs"));
            ExtractionReport report;
            VerifyingInputStream verified;
            try (InputStream raw = Files.newInputStream(archive);
                    OutputStream kept = new BufferedOutputStream(Files.newOutputStream(staging.resolve(ARCHIVE)),
                            READ_BUFFER)) {
                verified = new VerifyingInputStream(raw, verification, progress, size, kept);
                // The decompressor may read on a thread of its own: it is closed (and that thread
                // joined) before this thread reads the rest, so every byte is hashed once, in order.
                InputStream tar = null;
                try {
                    tar = Decompressors.open(CloseShieldInputStream.wrap(verified), what);
                    report = new SafeExtractor(limits(request.limits())).extract(tar, rootfs);
                } catch (SpewException e) {
                    closeQuietly(tar);
                    throw signatureFailureOr(e, verified, verification);
                } finally {
                    closeQuietly(tar);
                }
                verified.drain();
            }
            BuildSigner signer = verification == null ? null : verification.finish();
            if (signatureBytes != null) {
                Files.write(staging.resolve(SIGNATURE), signatureBytes);
            }
            if (signer == null) {
                LOG.log(System.Logger.Level.WARNING, "importing " + what + " WITHOUT a signature (--allow-unsigned)");
            }
            BuildMetadata metadata = BuildMetadata.read(rootfs);
            Build build = new Build(BuildId.parse(verified.sha256Hex()), nameOf(request, metadata, what),
                    versionOf(request, metadata, what), metadata.entryPoint(), metadata.values(), signer, Instant.now(),
                    verified.bytesRead(), report.bytes(), report.entries(), report.skippedDevices());
            return new StagedBuild(staging, build);
        } catch (IOException e) {
            discard(staging);
            throw new SpewException(ErrorCode.INVALID_BUILD, "cannot import " + what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            discard(staging);
            throw e;
        }
    }

    /**
     * A signed archive that cannot be read may have been tampered with: then the signature's verdict
     * is the better error, so the rest of the archive is read and checked before the extractor's
     * error is reported.
     */
    private static SpewException signatureFailureOr(SpewException failure, VerifyingInputStream verified,
            SignatureVerifier.Verification verification) {
        if (verification == null) {
            return failure;
        }
        try {
            verified.drain();
            verification.finish();
        } catch (SpewException e) {
            return e;
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    private static void closeQuietly(InputStream stream) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the decompressor: " + e);
            }
        }
    }

    private static long size(Path archive) {
        try {
            return Files.size(archive);
        } catch (NoSuchFileException e) {
            throw new SpewException(ErrorCode.NOT_FOUND, archive + ": no such file");
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + archive + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Path> signatureOf(BuildImport request) {
        if (request.signature() != null) {
            if (!Files.isRegularFile(request.signature())) {
                throw new SpewException(ErrorCode.NOT_FOUND, request.signature() + ": no such signature file");
            }
            return Optional.of(request.signature());
        }
        for (String suffix : new String[] {".asc", ".sig"}) {
            Path beside = request.archive().resolveSibling(request.archive().getFileName() + suffix);
            if (Files.isRegularFile(beside)) {
                return Optional.of(beside);
            }
        }
        return Optional.empty();
    }

    private static byte[] readSignature(Path signature) {
        try (InputStream in = Files.newInputStream(signature)) {
            byte[] bytes = in.readNBytes(MAX_SIGNATURE_BYTES + 1);
            if (bytes.length > MAX_SIGNATURE_BYTES) {
                throw new SpewException(ErrorCode.INVALID_SIGNATURE, signature + " is larger than "
                        + MAX_SIGNATURE_BYTES + " bytes: not a detached signature");
            }
            return bytes;
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + signature + ": " + e.getMessage(), e);
        }
    }

    Path createStaging() {
        String name = STAGING_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try {
            return Files.createDirectory(buildsDirectory.resolve(name),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot create a staging directory in " + buildsDirectory
                    + ": " + e.getMessage(), e);
        }
    }

    static void discard(Path staging) {
        try {
            Trees.delete(staging);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove " + staging + " (removed at the next start): " + e);
        }
    }

    private static ExtractionLimits limits(ImportLimits limits) {
        return new ExtractionLimits(limits.maxTotalBytes(), limits.maxEntries(), limits.maxNameLength(),
                limits.maxHeaderBytes());
    }

    private static String nameOf(BuildImport request, BuildMetadata metadata, String what) {
        String name = request.name() != null ? request.name() : metadata.name();
        if (name == null || name.isBlank()) {
            throw new SpewException(ErrorCode.INVALID_BUILD, what + " has no name: pass --name and --version, or put"
                    + " SPEWMETA (TARGET=, VSN=) or .spew/build.json at its root");
        }
        return BuildNames.checkName(name);
    }

    private static String versionOf(BuildImport request, BuildMetadata metadata, String what) {
        String version = request.version() != null ? request.version() : metadata.version();
        if (version == null || version.isBlank()) {
            throw new SpewException(ErrorCode.INVALID_BUILD, what + " has no version: pass --version, or put"
                    + " SPEWMETA (VSN=) or .spew/build.json at its root");
        }
        return BuildNames.checkVersion(version);
    }
}
