package io.spew.impl.build;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.build.BuildCreate;
import io.spew.build.BuildId;
import io.spew.build.CreatedBuild;
import io.spew.impl.host.HostFacts;
import io.spew.impl.json.Json;
import io.spew.impl.state.DataDirectory;
import io.spew.impl.trust.LocalSigningKey;
import io.spew.impl.trust.TrustStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code spew build create}: packs a directory into a reproducible archive ({@link TarPacker}),
 * compressed as its name says, and signs it with the local key (made and trusted on first use) or
 * the key given. Both files appear whole or not at all.
 */
@Singleton
public final class BuildCreator {
    private final Path keys;
    private final TrustStore trust;
    private final String userId;

    @Inject
    public BuildCreator(DataDirectory dataDirectory, TrustStore trust, HostFacts host) {
        this.keys = dataDirectory.keys();
        this.trust = requireNonNull(trust, "trust is null");
        this.userId = "Spew local key <root@" + host.name() + ">";
    }

    CreatedBuild create(BuildCreate request) {
        BuildNames.checkName(request.name());
        BuildNames.checkVersion(request.version());
        if (!Files.isDirectory(request.directory())) {
            throw new SpewException(ErrorCode.NOT_FOUND, request.directory() + ": no such directory");
        }
        Path archive = (request.output() != null ? request.output()
                : Path.of(request.name() + "-" + request.version() + ".tar.zst")).toAbsolutePath();
        Compression compression = Compression.ofFileName(archive);
        LocalSigningKey key = request.key() != null ? LocalSigningKey.load(request.key())
                : LocalSigningKey.ensure(keys, trust, userId);
        Path temporary = archive.resolveSibling("." + archive.getFileName() + ".tmp");
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long entries;
            try (OutputStream file = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary),
                    1 << 20), sha256); OutputStream compressed = compression.compress(file)) {
                entries = new TarPacker(request.keepMtimes()).pack(request.directory(), metadata(request), compressed);
            }
            Path signature = archive.resolveSibling(archive.getFileName() + ".asc");
            Path temporarySignature = signature.resolveSibling("." + signature.getFileName() + ".tmp");
            try (InputStream in = Files.newInputStream(temporary)) {
                Files.write(temporarySignature, key.signDetached(in));
            }
            Files.move(temporary, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporarySignature, signature, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new CreatedBuild(archive, signature, BuildId.parse(HexFormat.of().formatHex(sha256.digest())),
                    key.fingerprint(), entries);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new SpewException(ErrorCode.IO_ERROR, "cannot create " + archive + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * What the archive's {@code .spew/build.json} holds: the directory's own metadata (from
     * {@code .spew/build.json} or {@code SPEWMETA}), with the name and version given, so that the
     * archive imports without {@code --name} or {@code --version}.
     */
    private static byte[] metadata(BuildCreate request) throws IOException {
        BuildMetadata own = BuildMetadata.read(request.directory());
        Map<String, String> values = new TreeMap<>();
        if (own.run() != null) {
            values.put("run", own.run());
        }
        if (!own.values().containsKey("TARGET")) {
            values.putAll(own.values());
        }
        values.put("name", request.name());
        values.put("version", request.version());
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(values);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
