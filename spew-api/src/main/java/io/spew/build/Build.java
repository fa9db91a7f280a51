package io.spew.build;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An imported build: an unpacked root filesystem that instances run from.
 *
 * @param id the sha256 of its archive
 * @param name its name
 * @param version its version
 * @param entryPoint what runs in it unless an appliance says otherwise ({@code /run.sh} by default)
 * @param metadata what its {@code SPEWMETA} or {@code .spew/build.json} said
 * @param signer who signed it, or null for a build imported with {@code --allow-unsigned}
 * @param importedAt when it was imported
 * @param archiveBytes the size of its archive
 * @param unpackedBytes the bytes of its files
 * @param entries the entries of its archive
 * @param skippedDevices device nodes under {@code dev/} that were not created
 */
public record Build(
        BuildId id,
        String name,
        String version,
        String entryPoint,
        Map<String, String> metadata,
        BuildSigner signer,
        Instant importedAt,
        long archiveBytes,
        long unpackedBytes,
        long entries,
        long skippedDevices) {
    public Build {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(entryPoint, "entryPoint is null");
        metadata = Collections.unmodifiableSortedMap(new TreeMap<>(metadata == null ? Map.of() : metadata));
        requireNonNull(importedAt, "importedAt is null");
    }

    /** Whether it was imported without a signature ({@code --allow-unsigned}); shown forever. */
    public boolean unsigned() {
        return signer == null;
    }

    /** {@code name@version}. */
    public String reference() {
        return name + "@" + version;
    }
}
