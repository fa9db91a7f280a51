package io.spew.runtime.nspawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What systemd-nspawn keeps on the host while a container runs and removes only when it ends of its
 * own accord: {@code /run/systemd/nspawn/propagate/<machine>} (where {@code machinectl bind} puts
 * mounts for the container) and the lock of the container's root,
 * {@code /run/systemd/nspawn/locks/inode-<dev>:<inode>}. A nspawn killed with SIGKILL leaves both.
 *
 * @param run nspawn's directory ({@code /run/systemd/nspawn})
 */
record NspawnLeftovers(Path run) {
    static final NspawnLeftovers SYSTEM = new NspawnLeftovers(Path.of("/run/systemd/nspawn"));

    /**
     * Removes what a nspawn that ran {@code machine} on {@code root} left; call it while the root is
     * still mounted (its lock is named after the mount's device and inode) and once no nspawn runs
     * there. A propagation directory holding something stays.
     */
    void remove(String machine, Path root) {
        if (machine.isEmpty() || machine.contains("/") || machine.startsWith(".")) {
            return;
        }
        try {
            Files.deleteIfExists(run.resolve("propagate").resolve(machine));
        } catch (IOException e) {
            // not empty: not nspawn's leftover alone
        }
        try {
            Object device = Files.getAttribute(root, "unix:dev");
            Object inode = Files.getAttribute(root, "unix:ino");
            Files.deleteIfExists(run.resolve("locks").resolve("inode-" + device + ":" + inode));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // the root is gone already: its lock cannot be named
        }
    }
}
