package io.spew.impl.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The number of files a daemon may hold open. Each instance holds a pidfd and a pipe per output
 * stream, so 10,000 instances need some 30,000 descriptors: more than the hard limit of many hosts
 * (20,000 here). Root may raise it up to the kernel's {@code fs.nr_open}.
 */
public final class OpenFileLimit {
    private static final System.Logger LOG = System.getLogger(OpenFileLimit.class.getName());
    private static final int RLIMIT_NOFILE = 7;
    /** Enough for 50,000 instances; more than that asks for more hosts, not descriptors. */
    private static final long WANTED = 1 << 18;
    private static final Path NR_OPEN = Path.of("/proc/sys/fs/nr_open");

    private OpenFileLimit() {}

    /**
     * Raises the soft limit to the hard one and, where the process may (root), both to
     * {@value #WANTED} or the kernel's maximum if lower. Returns the soft limit in force after.
     */
    public static long raise() {
        LibC libc = Native.LIBC;
        long[] limits = new long[2];
        if (libc.getrlimit(RLIMIT_NOFILE, limits) != 0) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the open file limit: " + Native.describe(Native.errno()));
            return -1;
        }
        long wanted = Math.min(WANTED, kernelMaximum());
        if (limits[0] >= wanted) {
            return limits[0];
        }
        long[] raised = {wanted, Math.max(wanted, limits[1])};
        if (libc.setrlimit(RLIMIT_NOFILE, raised) == 0) {
            return wanted;
        }
        // not root: as far as the hard limit goes
        long[] soft = {limits[1], limits[1]};
        if (limits[0] < limits[1] && libc.setrlimit(RLIMIT_NOFILE, soft) == 0) {
            return limits[1];
        }
        return limits[0];
    }

    /** The soft limit in force, or {@code fallback} when it cannot be read. */
    public static long current(long fallback) {
        long[] limits = new long[2];
        return Native.LIBC.getrlimit(RLIMIT_NOFILE, limits) == 0 ? limits[0] : fallback;
    }

    private static long kernelMaximum() {
        try {
            return Long.parseLong(Files.readString(NR_OPEN).trim());
        } catch (IOException | NumberFormatException e) {
            return WANTED;
        }
    }
}
