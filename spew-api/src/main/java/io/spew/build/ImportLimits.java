package io.spew.build;

/**
 * Limits an import enforces on an archive; each refusal names the entry.
 *
 * @param maxTotalBytes the bytes of all files together
 * @param maxEntries the number of entries
 * @param maxNameLength the length of a name or link target
 * @param maxHeaderBytes the size of one header (PAX or GNU long name)
 */
public record ImportLimits(long maxTotalBytes, long maxEntries, int maxNameLength, int maxHeaderBytes) {
    public static final ImportLimits DEFAULT = new ImportLimits(64L << 30, 2_000_000, 4096, 1 << 20);

    public ImportLimits {
        if (maxTotalBytes <= 0 || maxEntries <= 0 || maxNameLength <= 0 || maxHeaderBytes <= 0) {
            throw new IllegalArgumentException("import limits must be positive");
        }
    }
}
