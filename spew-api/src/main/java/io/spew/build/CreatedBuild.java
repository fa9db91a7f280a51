package io.spew.build;

import java.nio.file.Path;

/**
 * A build archive made by {@link Builds#create}.
 *
 * @param archive the archive
 * @param signature its detached signature ({@code ARCHIVE.asc})
 * @param id the sha256 of the archive: the id it will have once imported
 * @param signerFingerprint the fingerprint of the key that signed it
 * @param entries the entries written
 */
public record CreatedBuild(Path archive, Path signature, BuildId id, String signerFingerprint, long entries) {}
