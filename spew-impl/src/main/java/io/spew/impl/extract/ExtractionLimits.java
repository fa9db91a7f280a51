package io.spew.impl.extract;

/**
 * What one extraction may take before it is refused.
 *
 * @param maxTotalBytes the bytes of all entries together, counting the logical size of sparse files
 * @param maxEntries the entries of the archive, not counting extended headers
 * @param maxNameLength the bytes (UTF-8) of a member name or a link target
 * @param maxHeaderBytes the bytes of the headers of one entry, extended headers (PAX, GNU long names)
 *     included
 */
public record ExtractionLimits(long maxTotalBytes, long maxEntries, int maxNameLength, int maxHeaderBytes) {
    /** 64 GiB, 2,000,000 entries, names of 4096 bytes, headers of 1 MiB. */
    public static final ExtractionLimits DEFAULT = new ExtractionLimits(64L << 30, 2_000_000, 4096, 1 << 20);

    public ExtractionLimits {
        if (maxTotalBytes < 0 || maxEntries < 0) {
            throw new IllegalArgumentException("maxTotalBytes and maxEntries must not be negative");
        }
        if (maxNameLength < 1 || maxHeaderBytes < 512) {
            throw new IllegalArgumentException("maxNameLength must be positive and maxHeaderBytes at least 512");
        }
    }
}
