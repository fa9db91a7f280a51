package io.spew.impl.extract;

import static io.spew.impl.extract.EntryNames.refuse;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * One run of {@link SafeExtractor#extract}: the entries of one archive, one by one, into one root.
 * Every decision is taken here, on one thread, which reads the data; a {@link BackgroundWriter} then
 * makes what was decided, in order, on another.
 */
final class Extraction implements AutoCloseable {
    private static final long MAX_ID = 0xFFFF_FFFEL;

    private final TarReader reader;
    private final RootDirectory root;
    private final ExtractionLimits limits;
    private final ExtractedTree tree;
    private final AttributeWriter attributes;
    private final BackgroundWriter writer;
    private long entries;
    private long files;
    private long symlinks;
    private long hardLinks;
    private long fifos;
    private long bytes;
    private long totalBytes;
    private long skippedDevices;
    private long skippedSockets;

    Extraction(TarReader reader, RootDirectory root, ExtractionLimits limits) {
        this.reader = reader;
        this.root = root;
        this.limits = limits;
        this.writer = new BackgroundWriter(root);
        this.tree = new ExtractedTree(writer);
        this.attributes = new AttributeWriter(root);
    }

    ExtractionReport run() throws IOException {
        for (TarArchiveEntry entry = reader.next(); entry != null; entry = reader.next()) {
            String name = entry.getName();
            try {
                extract(entry, name);
            } catch (CallFailedException e) {
                throw failed("entry '" + EntryNames.shown(name) + "'", e);
            }
        }
        writer.drain();
        try {
            tree.finish(attributes);
        } catch (CallFailedException e) {
            throw failed("setting the attributes of the directories", e);
        }
        return new ExtractionReport(entries, files, tree.directoryCount(), symlinks, hardLinks, fifos, bytes,
                skippedDevices, skippedSockets);
    }

    @Override
    public void close() {
        writer.close();
    }

    /**
     * A failed call as the caller sees it: {@code INVALID_BUILD} if the archive asks for a name or a
     * tree that cannot be (too long, a loop, a file where a directory must be), else the host's
     * failure, returned for the caller to throw.
     */
    static IOException failed(String subject, CallFailedException e) {
        boolean archiveFault = switch (e.errno()) {
            case Syscalls.ENAMETOOLONG, Syscalls.ELOOP, Syscalls.ENOTDIR, Syscalls.EEXIST, Syscalls.EISDIR,
                    Syscalls.EINVAL -> true;
            default -> false;
        };
        String message = subject + ": " + e.getMessage();
        if (archiveFault) {
            throw new SpewException(ErrorCode.INVALID_BUILD, message, e);
        }
        return new IOException(message, e);
    }

    private void extract(TarArchiveEntry entry, String name) throws IOException {
        if (++entries > limits.maxEntries()) {
            throw refuse(name, "the archive has more than the limit of " + limits.maxEntries() + " entries");
        }
        totalBytes += Math.max(entry.getSize(), entry.getRealSize());
        if (totalBytes > limits.maxTotalBytes() || totalBytes < 0) {
            throw refuse(name, "the archive holds more than the limit of " + limits.maxTotalBytes() + " bytes");
        }
        byte type = entry.getLinkFlag();
        if (type == 'V') { // a volume label: nothing to extract
            return;
        }
        byte[] pax = reader.paxRecords();
        if (pax.length > 0 && "socket".equals(PaxRecords.fileType(pax))) {
            skippedSockets++;
            return;
        }
        String path = EntryNames.normalize(name, "name", name, limits.maxNameLength());
        switch (type) {
            case '0', 0, '7', 'S' -> {
                if (type != 'S' && name.endsWith("/")) { // a directory as the oldest tars wrote them
                    tree.directory(name, path, attributesOf(entry, name, pax));
                } else {
                    regularFile(entry, name, path, attributesOf(entry, name, pax));
                }
            }
            case '1' -> hardLink(entry, name, path);
            case '2' -> symlink(entry, name, path, attributesOf(entry, name, pax));
            case '3', '4' -> device(entry, name, path);
            case '5' -> tree.directory(name, path, attributesOf(entry, name, pax));
            case '6' -> fifo(name, path, attributesOf(entry, name, pax));
            default -> throw refuse(name, "unknown entry type '" + printable(type) + "'");
        }
    }

    private void regularFile(TarArchiveEntry entry, String name, String path, EntryAttributes attributes)
            throws IOException {
        tree.makeParents(name, path);
        if (tree.claim(name, path, Syscalls.S_IFREG)) {
            writer.drain(); // the file replaced may still be queued
            root.unlink(path);
        }
        long size = entry.getRealSize();
        if (size <= BackgroundWriter.CHUNK_SIZE) {
            byte[] slab = writer.reserve((int) size);
            read(name, slab, writer.offset(), (int) size);
            writer.file(name, path, attributes, (int) size);
        } else {
            writer.openFile(name, path, attributes);
            for (long remaining = size; remaining > 0; ) {
                int length = (int) Math.min(BackgroundWriter.CHUNK_SIZE, remaining);
                byte[] slab = writer.reserve(length);
                read(name, slab, writer.offset(), length);
                writer.chunk(name, length);
                remaining -= length;
            }
            writer.closeFile(name);
        }
        bytes += size;
        files++;
    }

    /** Reads {@code length} bytes of the current entry's data into {@code data} at {@code offset}. */
    private void read(String name, byte[] data, int offset, int length) {
        for (int filled = 0; filled < length; ) {
            int n = reader.readData(data, offset + filled, length - filled);
            if (n < 0) {
                throw refuse(name, "truncated: the archive ends inside the file's data");
            }
            filled += n;
        }
    }

    private void hardLink(TarArchiveEntry entry, String name, String path) throws IOException {
        String linkName = entry.getLinkName();
        String target = EntryNames.normalize(name, "hard link target", linkName, limits.maxNameLength());
        if (!tree.isFile(target)) {
            throw refuse(name, "hard link to '" + EntryNames.shown(linkName)
                    + "', which is not a regular file extracted earlier from this archive");
        }
        tree.makeParents(name, path);
        if (!path.equals(target)) {
            writer.drain(); // the target, or the file replaced, may still be queued
            if (tree.claim(name, path, Syscalls.S_IFREG)) {
                root.unlink(path);
            }
            int error = root.link(target, path);
            if (error != 0) {
                throw creationFailed("link to '" + target + "' at", name, path, error);
            }
        }
        hardLinks++;
    }

    private void symlink(TarArchiveEntry entry, String name, String path, EntryAttributes attributes)
            throws IOException {
        String target = entry.getLinkName();
        EntryNames.checkText(name, "link target", target, limits.maxNameLength());
        tree.makeParents(name, path);
        if (tree.claim(name, path, Syscalls.S_IFLNK)) {
            writer.drain(); // the link replaced may still be queued
            root.unlink(path);
        }
        writer.symlink(name, path, target, attributes);
        symlinks++;
    }

    private void fifo(String name, String path, EntryAttributes attributes) throws IOException {
        tree.makeParents(name, path);
        if (tree.claim(name, path, Syscalls.S_IFIFO)) {
            writer.drain(); // the FIFO replaced may still be queued
            root.unlink(path);
        }
        writer.fifo(name, path, attributes);
        fifos++;
    }

    /** The failure of a call that makes {@code path}, which the tree said was free. */
    private CallFailedException creationFailed(String call, String name, String path, int error) throws IOException {
        if (error == Syscalls.EEXIST) {
            throw refuse(name, "the path already exists as " + Syscalls.describeType(root.type(path))
                    + " (the root was not empty)");
        }
        return new CallFailedException(call, path, error);
    }

    private void device(TarArchiveEntry entry, String name, String path) {
        if (path.startsWith("dev/")) {
            skippedDevices++; // nspawn provides /dev
            return;
        }
        if (entry.getLinkFlag() == '3' && entry.getDevMajor() == 0 && entry.getDevMinor() == 0) {
            throw refuse(name, "an overlay whiteout (character device 0:0); a build is a whole tree, not a layer");
        }
        throw refuse(name, "a device node outside dev/; device nodes are never made (nspawn provides /dev)");
    }

    private static EntryAttributes attributesOf(TarArchiveEntry entry, String name, byte[] pax) {
        long uid = entry.getLongUserId();
        long gid = entry.getLongGroupId();
        if (uid < 0 || uid > MAX_ID || gid < 0 || gid > MAX_ID) {
            throw refuse(name, "owner " + uid + ":" + gid + " is out of range");
        }
        FileTime modified = entry.getLastModifiedTime();
        Instant time = modified == null ? Instant.EPOCH : modified.toInstant();
        Map<String, byte[]> xattrs = pax.length == 0 ? Map.of() : PaxRecords.xattrs(pax);
        return new EntryAttributes((int) uid, (int) gid, entry.getMode() & 07777, time.getEpochSecond(),
                time.getNano(), xattrs);
    }

    private static String printable(byte type) {
        return type >= 0x20 && type < 0x7f ? String.valueOf((char) type) : String.format("\\x%02x", type);
    }
}
