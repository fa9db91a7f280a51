package io.spew.impl.os;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * On cgroup v1, the thread that spawns sits in the new process's group for the length of the spawn:
 * v1 moves a single thread when its id is written to a group's {@code tasks}, and a child is born in
 * its parent thread's group, so the program runs in its group from its first instruction without a
 * shell that joins it first (one {@code exec} less per start). The thread goes back to its own group
 * at once. While it sits there, the group's {@code cgroup.procs} lists the engine's pid (see
 * {@link Cgroups#processes}, which leaves it out).
 */
final class SpawningThread {
    private static final System.Logger LOG = System.getLogger(SpawningThread.class.getName());
    private static final Path THREAD_CGROUPS = Path.of("/proc/thread-self/cgroup");
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private SpawningThread() {}

    /**
     * Runs {@code spawn} (which returns a pid) with the calling thread in {@code group} of the v1
     * {@code hierarchy}; empty, without running it, when the thread cannot move there.
     */
    static OptionalLong spawnFrom(Path hierarchy, Path group, LongSupplier spawn) {
        Optional<Path> home = home(hierarchy);
        if (home.isEmpty()) {
            return OptionalLong.empty();
        }
        String tid = Integer.toString(Native.LIBC.gettid());
        try {
            Files.writeString(group.resolve("tasks"), tid);
        } catch (IOException e) {
            if (WARNED.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "cannot move a thread into {0} ({1}): instances join their cgroups through"
                        + " /bin/sh", group, e.getMessage());
            }
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(spawn.getAsLong());
        } finally {
            goBack(tid, home.get(), hierarchy);
        }
    }

    /** The calling thread's group in the hierarchy, from {@code /proc/thread-self/cgroup}. */
    private static Optional<Path> home(Path hierarchy) {
        String controller = hierarchy.getFileName().toString();
        try {
            for (String line : Files.readAllLines(THREAD_CGROUPS)) {
                String[] fields = line.split(":", 3);
                if (fields.length == 3 && Arrays.asList(fields[1].split(",")).contains(controller)) {
                    return Optional.of(hierarchy.resolve(fields[2].substring(1)));
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot read {0}: {1}", THREAD_CGROUPS, e.getMessage());
        }
        return Optional.empty();
    }

    private static void goBack(String tid, Path home, Path hierarchy) {
        for (Path group : new Path[] {home, hierarchy}) {
            try {
                Files.writeString(group.resolve("tasks"), tid);
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot move thread {0} back to {1}: {2}", tid, group, e.getMessage());
            }
        }
    }
}
