package io.spew.impl.extract;

import static io.spew.impl.extract.Syscalls.SPECIAL_BITS;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Sets owner, mode, extended attributes and modification time, in that order (a change of owner
 * clears the set-user-ID bit; a change of anything but the time moves the change time only). Skips
 * the calls that would change nothing: a new file already belongs to the extracting user and has the
 * mode asked of {@code open} less the umask. Owners are set only when extracting as root, as GNU tar
 * does; the store is root's.
 */
final class AttributeWriter {
    private static final System.Logger LOG = System.getLogger(AttributeWriter.class.getName());

    private final RootDirectory root;
    private final boolean setOwners;
    private final int uid;
    private final int gid;
    private final int umask;
    private boolean warnedAboutXattrs;

    AttributeWriter(RootDirectory root) {
        this.root = root;
        this.uid = Syscalls.LIBC.geteuid();
        this.gid = Syscalls.LIBC.getegid();
        this.setOwners = uid == 0;
        this.umask = readUmask();
    }

    /** Sets the attributes of a regular file made with {@code open(path, mode & 0777)}, through its descriptor. */
    void setOnFile(int file, String path, EntryAttributes attributes) throws IOException {
        int mode = attributes.mode();
        if (ownerDiffers(attributes)) {
            root.chown(file, attributes.uid(), attributes.gid(), path);
        }
        if ((mode & SPECIAL_BITS) != 0 || umask < 0 || (mode & umask) != 0) {
            root.chmod(file, mode, path);
        }
        for (Map.Entry<String, byte[]> xattr : attributes.xattrs().entrySet()) {
            checkXattr(root.setExtendedAttribute(file, xattr.getKey(), xattr.getValue()), xattr.getKey(), path);
        }
        root.setModificationTime(file, attributes.seconds(), attributes.nanos(), path);
    }

    /** Sets the attributes of the root itself, through its descriptor. */
    void setOnRoot(EntryAttributes attributes) throws IOException {
        if (ownerDiffers(attributes)) {
            root.chown(root.fd(), attributes.uid(), attributes.gid(), ".");
        }
        root.chmod(root.fd(), attributes.mode(), ".");
        for (Map.Entry<String, byte[]> xattr : attributes.xattrs().entrySet()) {
            checkXattr(root.setExtendedAttribute(root.fd(), xattr.getKey(), xattr.getValue()), xattr.getKey(), ".");
        }
        if (attributes.hasTime()) {
            root.setModificationTime(root.fd(), attributes.seconds(), attributes.nanos(), ".");
        }
    }

    /** Sets the attributes of a directory, FIFO or symbolic link (whose mode Linux has no use for). */
    void setOnPath(String path, EntryAttributes attributes, boolean symlink) throws IOException {
        if (ownerDiffers(attributes)) {
            root.chown(path, attributes.uid(), attributes.gid());
        }
        if (!symlink) {
            root.chmod(path, attributes.mode());
        }
        for (Map.Entry<String, byte[]> xattr : attributes.xattrs().entrySet()) {
            checkXattr(root.setExtendedAttribute(path, xattr.getKey(), xattr.getValue()), xattr.getKey(), path);
        }
        if (attributes.hasTime()) {
            root.setModificationTime(path, attributes.seconds(), attributes.nanos());
        }
    }

    private boolean ownerDiffers(EntryAttributes attributes) {
        return setOwners && (attributes.uid() != uid || attributes.gid() != gid);
    }

    /** Like GNU tar, an attribute the file system or the file type does not take is a warning. */
    private void checkXattr(int errno, String name, String path) throws IOException {
        if (errno == 0) {
            return;
        }
        if (errno != Syscalls.EOPNOTSUPP && errno != Syscalls.EPERM) {
            throw new CallFailedException("setxattr " + name + " on", path, errno);
        }
        if (!warnedAboutXattrs) {
            warnedAboutXattrs = true;
            LOG.log(System.Logger.Level.WARNING, "extended attribute {0} of ''{1}'' not set: {2} (further"
                    + " failures of this extraction not logged)", name, path, Syscalls.describe(errno));
        }
    }

    /** This process's umask, read where reading it does not change it; -1 if unknown. */
    private static int readUmask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring("Umask:".length()).trim(), 8);
                }
            }
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            LOG.log(System.Logger.Level.DEBUG, "umask unknown, every mode is set explicitly", e);
        }
        return -1;
    }
}
