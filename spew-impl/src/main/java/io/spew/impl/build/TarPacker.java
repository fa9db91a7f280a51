package io.spew.impl.build;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a directory as a reproducible tar: entries sorted by name, numeric owners without names,
 * every mtime 0 unless asked, hard links as links to the first name, symlinks as they are, FIFOs and
 * device nodes as such, sockets left out, PAX for long names and big numbers.
 */
final class TarPacker {
    private static final int TYPE_MASK = 0170000;
    private static final int FIFO = 0010000;
    private static final int CHARACTER_DEVICE = 0020000;
    private static final int BLOCK_DEVICE = 0060000;
    private static final int SOCKET = 0140000;

    static final String METADATA_DIRECTORY = ".spew";
    static final String METADATA_FILE = ".spew/build.json";

    private final boolean keepMtimes;
    private final Map<String, String> firstNameOfInode = new HashMap<>();
    private final byte[] buffer = new byte[1 << 20];
    private long entries;

    TarPacker(boolean keepMtimes) {
        this.keepMtimes = keepMtimes;
    }

    /**
     * Writes {@code .spew/build.json} with {@code metadata} first, then the tree under {@code root}
     * (not root itself, and not a {@code .spew/build.json} of its own); returns the number of entries.
     */
    long pack(Path root, byte[] metadata, OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            writeMetadata(root, metadata, tar);
            packChildren(root, "", tar);
            tar.finish();
        }
        return entries;
    }

    private void writeMetadata(Path root, byte[] metadata, TarArchiveOutputStream tar) throws IOException {
        if (!Files.exists(root.resolve(METADATA_DIRECTORY), LinkOption.NOFOLLOW_LINKS)) {
            TarArchiveEntry directory = new TarArchiveEntry(METADATA_DIRECTORY + "/", TarConstants.LF_DIR, true);
            directory.setMode(0755);
            directory.setModTime(FileTime.fromMillis(0));
            put(tar, directory);
        }
        TarArchiveEntry file = new TarArchiveEntry(METADATA_FILE, TarConstants.LF_NORMAL, true);
        file.setMode(0644);
        file.setModTime(FileTime.fromMillis(0));
        file.setSize(metadata.length);
        tar.putArchiveEntry(file);
        tar.write(metadata);
        tar.closeArchiveEntry();
        entries++;
    }

    private void packChildren(Path directory, String prefix, TarArchiveOutputStream tar) throws IOException {
        List<Path> children;
        try (Stream<Path> listing = Files.list(directory)) {
            children = listing.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
        for (Path child : children) {
            String name = prefix + child.getFileName();
            if (name.equals(METADATA_FILE)) {
                continue;
            }
            Map<String, Object> unix = Files.readAttributes(child, "unix:mode,uid,gid,ino,dev,nlink,size,rdev,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) unix.get("mode");
            int type = mode & TYPE_MASK;
            if (Files.isSymbolicLink(child)) {
                TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK, unix);
                entry.setLinkName(Files.readSymbolicLink(child).toString());
                put(tar, entry);
            } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                put(tar, entry(name + "/", TarConstants.LF_DIR, unix));
                packChildren(child, name + "/", tar);
            } else if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                packFile(child, name, unix, tar);
            } else if (type == FIFO) {
                put(tar, entry(name, TarConstants.LF_FIFO, unix));
            } else if (type == CHARACTER_DEVICE || type == BLOCK_DEVICE) {
                TarArchiveEntry entry = entry(name, type == CHARACTER_DEVICE ? TarConstants.LF_CHR : TarConstants.LF_BLK, unix);
                long rdev = (Long) unix.get("rdev");
                entry.setDevMajor((int) (((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL)));
                entry.setDevMinor((int) ((rdev & 0xff) | ((rdev >> 12) & ~0xffL)));
                put(tar, entry);
            } else if (type != SOCKET) {
                throw new SpewException(ErrorCode.INVALID_ARGUMENT, child + " is of a type a build cannot hold");
            }
        }
    }

    private void packFile(Path file, String name, Map<String, Object> unix, TarArchiveOutputStream tar)
            throws IOException {
        if ((Integer) unix.get("nlink") > 1) {
            String inode = unix.get("dev") + ":" + unix.get("ino");
            String first = firstNameOfInode.putIfAbsent(inode, name);
            if (first != null) {
                TarArchiveEntry link = entry(name, TarConstants.LF_LINK, unix);
                link.setLinkName(first);
                put(tar, link);
                return;
            }
        }
        TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL, unix);
        entry.setSize((Long) unix.get("size"));
        tar.putArchiveEntry(entry);
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                tar.write(buffer, 0, n);
            }
        }
        tar.closeArchiveEntry();
        entries++;
    }

    private TarArchiveEntry entry(String name, byte type, Map<String, Object> unix) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setMode((Integer) unix.get("mode") & 07777);
        entry.setUserId((Integer) unix.get("uid"));
        entry.setGroupId((Integer) unix.get("gid"));
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(keepMtimes ? (FileTime) unix.get("lastModifiedTime") : FileTime.fromMillis(0));
        return entry;
    }

    private void put(TarArchiveOutputStream tar, TarArchiveEntry entry) throws IOException {
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
        entries++;
    }
}
