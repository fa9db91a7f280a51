package io.spew.daemon.api;

import io.spew.build.BuildImport;
import io.spew.build.ImportLimits;
import java.nio.file.Path;

/**
 * The body of {@code POST /api/v1/builds/import}: paths on the daemon's host (the command line sends
 * absolute ones), and the limits, each null for its default.
 */
public record ImportBuildRequest(String archive, String signature, boolean allowUnsigned, String name, String version,
        Long maxBytes, Long maxEntries, Integer maxNameLength, Integer maxHeaderBytes) {

    BuildImport toImport() {
        ImportLimits defaults = ImportLimits.DEFAULT;
        ImportLimits limits = new ImportLimits(maxBytes == null ? defaults.maxTotalBytes() : maxBytes,
                maxEntries == null ? defaults.maxEntries() : maxEntries,
                maxNameLength == null ? defaults.maxNameLength() : maxNameLength,
                maxHeaderBytes == null ? defaults.maxHeaderBytes() : maxHeaderBytes);
        return new BuildImport(Path.of(archive), signature == null ? null : Path.of(signature), allowUnsigned, name,
                version, limits);
    }
}
