package io.spew.impl.os;

import java.nio.file.Path;
import jnr.ffi.byref.IntByReference;

/**
 * Marks a directory as the top of unrelated trees ({@code chattr +T}, {@code FS_TOPDIR_FL}): ext2,
 * ext3 and ext4 then place each directory made in it in a block group chosen among all (Orlov's
 * spreading, as for the root's), and a directory's files go in its group, rather than everything in
 * the parent's group.
 *
 * <p>Why for {@code instances/}: ext4 without a journal (as the root file system of the VM the
 * benchmarks ran on) passes over, at each inode it allocates, every inode of the group freed in the
 * last 30 s or so, reading each one's inode table block to tell, from the start of the group. A
 * start makes seven files and directories; with every instance in the data directory's group, each
 * of them walked past whatever removals (of instances, or of anything else in that group) had just
 * freed: after 2,000 removals there, that walk was some 40% of the calling threads' CPU per start, against
 * 0.1 to 0.2 ms without recent removals. Spread, a group holds few of them. Other file systems
 * ignore or refuse the flag; nothing depends on it.
 */
public final class TopDirectories {
    private static final System.Logger LOG = System.getLogger(TopDirectories.class.getName());
    private static final long FS_IOC_GETFLAGS = 0x80086601L;
    private static final long FS_IOC_SETFLAGS = 0x40086602L;
    private static final int FS_TOPDIR_FL = 0x00020000;
    private static final int AT_FDCWD = -100;
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_CLOEXEC = 02000000;

    private TopDirectories() {}

    /**
     * Sets the flag on {@code directory} unless it has it; returns whether it has it after. Never
     * throws: where the file system does not keep the flag, nothing changes.
     */
    public static boolean mark(Path directory) {
        LibC libc = Native.LIBC;
        int fd = libc.openat(AT_FDCWD, directory.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0) {
            LOG.log(System.Logger.Level.DEBUG, "cannot open {0}: {1}", directory, Native.describe(Native.errno()));
            return false;
        }
        try {
            IntByReference flags = new IntByReference();
            if (libc.ioctl(fd, FS_IOC_GETFLAGS, flags) != 0) {
                LOG.log(System.Logger.Level.DEBUG, "{0} keeps no inode flags: {1}", directory,
                        Native.describe(Native.errno()));
                return false;
            }
            if ((flags.intValue() & FS_TOPDIR_FL) != 0) {
                return true;
            }
            IntByReference marked = new IntByReference(flags.intValue() | FS_TOPDIR_FL);
            if (libc.ioctl(fd, FS_IOC_SETFLAGS, marked) != 0) {
                LOG.log(System.Logger.Level.DEBUG, "cannot mark {0} as a top directory: {1}", directory,
                        Native.describe(Native.errno()));
                return false;
            }
            return true;
        } finally {
            libc.close(fd);
        }
    }
}
