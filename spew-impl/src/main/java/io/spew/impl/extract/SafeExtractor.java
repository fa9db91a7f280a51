package io.spew.impl.extract;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Extracts a tar stream so that no archive, however crafted, touches anything outside the root
 * (DESIGN.md, Builds). Member names map inside the root ({@code /etc/x} to {@code root/etc/x}; a
 * {@code ..} component is refused). Symbolic links are made as they are, absolute targets too, and
 * never followed: a path may only go through directories this extraction made. Hard links may only
 * point to regular files extracted earlier from the same archive. Device nodes are never made: those
 * under {@code dev/} are skipped and counted, others and overlay whiteouts refused. FIFOs are made,
 * never opened; sockets skipped. Owners are numeric (set when running as root), modes exact with
 * set-user-ID, set-group-ID and sticky bits; modification times kept; {@code SCHILY.xattr.*} PAX
 * records set as extended attributes, except {@code trusted.*} and {@code security.selinux}. The
 * attributes of a {@code ./} entry are set on the root itself, last. An entry whose path already
 * exists as another type is refused; one of the same type (but a directory) replaces it, as tar does.
 * Names must be UTF-8 (others are refused, not mangled). Safe to share between threads: every call is
 * independent, and makes small files on a second thread of its own while it reads on.
 */
public final class SafeExtractor {
    private final ExtractionLimits limits;

    public SafeExtractor(ExtractionLimits limits) {
        this.limits = requireNonNull(limits, "limits is null");
    }

    /**
     * Extracts a (decompressed) tar stream into root, an existing empty directory private to the
     * caller (mode 0700, root-only, not set-group-ID). Reads up to the end-of-archive block and does
     * not close {@code tar}. Throws {@code SpewException(INVALID_BUILD, "entry '<name>': <why>")}
     * naming the entry for anything wrong with the archive, an {@link IOException} naming the entry
     * for a failure of the host (such as a full disk). Leaves root in any state on failure: the
     * caller deletes it.
     */
    public ExtractionReport extract(InputStream tar, Path root) throws IOException {
        requireNonNull(tar, "tar is null");
        requireNonNull(root, "root is null");
        TarReader reader = TarReader.open(tar, limits);
        try (RootDirectory directory = RootDirectory.open(root);
                Extraction extraction = new Extraction(reader, directory, limits)) {
            return extraction.run();
        }
    }
}
