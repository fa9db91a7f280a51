package io.spew.impl.extract;

import static io.spew.impl.extract.EntryNames.refuse;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/** One run of {@link SafeExtractor#extract}: the entries of one archive, one by one, into one root. */
final class Extraction {
    /** The copy buffer, reused for every file; large so that a file takes few reads and writes. */
    private static final int COPY_BUFFER_SIZE = 1 << 20;
    private static final long MAX_ID = 0xFFFF_FFFEL;

    private final TarReader reader;
    private final RootDirectory root;
    private final ExtractionLimits limits;
    private final ExtractedTree tree;
    private final AttributeWriter attributes;
    private final byte[] buffer = new byte[COPY_BUFFER_SIZE];
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
        this.tree = new ExtractedTree(root);
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
        try {
            tree.finish(attributes);
        } catch (CallFailedException e) {
            throw failed("setting the attributes of the directories", e);
        }
        return new ExtractionReport(entries, files, tree.directoryCount(), symlinks, hardLinks, fifos, bytes,
                skippedDevices, skippedSockets);
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
            case '0', 0, '7' -> {
                if (name.endsWith("/")) { // a directory as the oldest tars wrote them
                    tree.directory(name, path, attributesOf(entry, name));
                } else {
                    regularFile(entry, name, path);
                }
            }
            case 'S' -> regularFile(entry, name, path);
            case '1' -> hardLink(entry, name, path);
            case '2' -> symlink(entry, name, path);
            case '3', '4' -> device(entry, name, path);
            case '5' -> tree.directory(name, path, attributesOf(entry, name));
            case '6' -> fifo(entry, name, path);
            default -> throw refuse(name, "unknown entry type '" + printable(type) + "'");
        }
    }

    private void regularFile(TarArchiveEntry entry, String name, String path) throws IOException {
        EntryAttributes attributes = attributesOf(entry, name);
        tree.makeParents(name, path);
        tree.refuseDirectory(name, path);
        int file = root.create(path, attributes.mode() & 0777);
        if (file == -Syscalls.EEXIST) {
            tree.replace(name, path, Syscalls.S_IFREG);
            file = root.create(path, attributes.mode() & 0777);
        }
        if (file < 0) {
            throw new CallFailedException("open", path, -file);
        }
        boolean written = false;
        try {
            copy(entry, name, file, path);
            this.attributes.setOnFile(file, path, attributes);
            written = true;
        } finally {
            if (written) {
                root.close(file, path);
            } else {
                Syscalls.LIBC.close(file);
            }
        }
        tree.addFile(name, path);
        files++;
    }

    private void copy(TarArchiveEntry entry, String name, int file, String path) throws IOException {
        long remaining = entry.getRealSize();
        while (remaining > 0) {
            int wanted = (int) Math.min(buffer.length, remaining);
            int filled = 0;
            while (filled < wanted) {
                int n = reader.readData(buffer, filled, wanted - filled);
                if (n < 0) {
                    throw refuse(name, "truncated: the archive ends inside the file's data");
                }
                filled += n;
            }
            root.write(file, buffer, filled, path);
            remaining -= filled;
            bytes += filled;
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
        tree.refuseDirectory(name, path);
        if (!path.equals(target)) {
            int error = root.link(target, path);
            if (error == Syscalls.EEXIST) {
                tree.replace(name, path, Syscalls.S_IFREG);
                error = root.link(target, path);
            }
            if (error != 0) {
                throw new CallFailedException("link to '" + target + "' at", path, error);
            }
            tree.addFile(name, path);
        }
        hardLinks++;
    }

    private void symlink(TarArchiveEntry entry, String name, String path) throws IOException {
        String target = entry.getLinkName();
        EntryNames.checkText(name, "link target", target, limits.maxNameLength());
        EntryAttributes attributes = attributesOf(entry, name);
        tree.makeParents(name, path);
        tree.refuseDirectory(name, path);
        int error = root.symlink(target, path);
        if (error == Syscalls.EEXIST) {
            tree.replace(name, path, Syscalls.S_IFLNK);
            error = root.symlink(target, path);
        }
        if (error != 0) {
            throw new CallFailedException("symlink", path, error);
        }
        this.attributes.setOnPath(path, attributes, true);
        symlinks++;
    }

    private void fifo(TarArchiveEntry entry, String name, String path) throws IOException {
        EntryAttributes attributes = attributesOf(entry, name);
        tree.makeParents(name, path);
        tree.refuseDirectory(name, path);
        int error = root.mkfifo(path, attributes.mode() & 0777);
        if (error == Syscalls.EEXIST) {
            tree.replace(name, path, Syscalls.S_IFIFO);
            error = root.mkfifo(path, attributes.mode() & 0777);
        }
        if (error != 0) {
            throw new CallFailedException("mkfifo", path, error);
        }
        this.attributes.setOnPath(path, attributes, false);
        fifos++;
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

    private EntryAttributes attributesOf(TarArchiveEntry entry, String name) {
        long uid = entry.getLongUserId();
        long gid = entry.getLongGroupId();
        if (uid < 0 || uid > MAX_ID || gid < 0 || gid > MAX_ID) {
            throw refuse(name, "owner " + uid + ":" + gid + " is out of range");
        }
        FileTime modified = entry.getLastModifiedTime();
        Instant time = modified == null ? Instant.EPOCH : modified.toInstant();
        byte[] pax = reader.paxRecords();
        Map<String, byte[]> xattrs = pax.length == 0 ? Map.of() : PaxRecords.xattrs(pax);
        return new EntryAttributes((int) uid, (int) gid, entry.getMode() & 07777, time.getEpochSecond(),
                time.getNano(), xattrs);
    }

    /**
     * A failed call as the caller sees it: {@code INVALID_BUILD} if the archive asks for a name or a
     * tree that cannot be (too long, a loop, a file where a directory must be), else the host's failure.
     */
    private static IOException failed(String subject, CallFailedException e) {
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

    private static String printable(byte type) {
        return type >= 0x20 && type < 0x7f ? String.valueOf((char) type) : String.format("\\x%02x", type);
    }
}
