package io.spew.impl.os;

import io.spew.instance.ExitStatus;
import io.spew.instance.Signal;
import java.lang.System.Logger.Level;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Collects the exit status of an ended process through its pidfd with {@code waitid(P_PIDFD)}. Only
 * the parent can: for any other process the status is unknown. Not thread-safe: one instance per
 * thread, as it reuses one {@code siginfo_t}.
 */
final class ChildReaper {
    private static final System.Logger LOG = System.getLogger(ChildReaper.class.getName());

    private static final int P_PIDFD = 3;
    private static final int WNOHANG = 1;
    private static final int WEXITED = 4;
    private static final int CLD_EXITED = 1;
    private static final int CLD_KILLED = 2;
    private static final int CLD_DUMPED = 3;

    // siginfo_t on x86_64: 128 bytes; si_code at 8, then for SIGCHLD si_pid at 16 and si_status at 24.
    private static final int SIGINFO_SIZE = 128;
    private static final int SI_CODE = 8;
    private static final int SI_PID = 16;
    private static final int SI_STATUS = 24;

    private final LibC libc = Native.LIBC;
    private final Pointer info = Memory.allocateDirect(Native.RUNTIME, SIGINFO_SIZE, true);

    /** Reaps the ended process of {@code pidfd} if it is a child of this JVM; its status, else unknown. */
    ExitStatus reap(int pidfd, long pid) {
        info.setMemory(0, SIGINFO_SIZE, (byte) 0);
        if (libc.waitid(P_PIDFD, pidfd, info, WEXITED | WNOHANG) < 0) {
            int errno = Native.errno();
            if (errno != Native.ECHILD) {
                LOG.log(Level.WARNING, "cannot collect the exit status of process {0}: {1}",
                        pid, Native.describe(errno));
            }
            return ExitStatus.unknown();
        }
        if (info.getInt(SI_PID) == 0) {
            // Cannot happen once the pidfd is readable, unless the status was already taken.
            return ExitStatus.unknown();
        }
        int status = info.getInt(SI_STATUS);
        return switch (info.getInt(SI_CODE)) {
            case CLD_EXITED -> ExitStatus.exited(status);
            case CLD_KILLED, CLD_DUMPED -> ExitStatus.signaled(Signal.nameOf(status));
            default -> ExitStatus.unknown();
        };
    }
}
