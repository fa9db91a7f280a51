package io.spew.impl.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
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
        try {
            // read at each spawn (a thread's group may change), so read plainly: one read(2), no reader
            String groups = new String(Files.readAllBytes(THREAD_CGROUPS), StandardCharsets.ISO_8859_1);
            return groupOf(groups, hierarchy.getFileName().toString()).map(group -> hierarchy.resolve(group.substring(1)));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot read {0}: {1}", THREAD_CGROUPS, e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * The group ({@code /a/b}) of {@code controller} in the lines {@code ID:CONTROLLERS:GROUP} of a
     * {@code /proc/.../cgroup} file; empty when no line names the controller.
     */
    static Optional<String> groupOf(String lines, String controller) {
        int start = 0;
        while (start < lines.length()) {
            int end = lines.indexOf('\n', start);
            if (end < 0) {
                end = lines.length();
            }
            int first = lines.indexOf(':', start);
            int second = first < 0 || first >= end ? -1 : lines.indexOf(':', first + 1);
            if (second >= 0 && second < end && names(lines.substring(first + 1, second), controller)) {
                return Optional.of(lines.substring(second + 1, end));
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    /** Whether a comma-separated list of controllers holds {@code controller}. */
    private static boolean names(String controllers, String controller) {
        for (String name : controllers.split(",")) {
            if (name.equals(controller)) {
                return true;
            }
        }
        return false;
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
