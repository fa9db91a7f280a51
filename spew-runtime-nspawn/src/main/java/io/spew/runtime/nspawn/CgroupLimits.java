package io.spew.runtime.nspawn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Limits written to the cgroup file system directly, for hosts where systemd-machined does not run
 * (where it does, they are properties of the container's scope). nspawn joins the groups before it
 * starts the container (its launcher writes its pid to their {@code cgroup.procs}, then executes
 * nspawn), so every process of the container is in them from the start.
 */
sealed interface CgroupLimits permits CgroupV1, CgroupV2 {
    /** Makes the instance's groups and writes the limits; returns the {@code cgroup.procs} files nspawn joins. */
    List<Path> create(String instanceId, Limits limits);

    /** Removes the instance's groups; a group that still holds processes stays. Idempotent. */
    void remove(String instanceId);

    /**
     * The cgroups under {@code mount} (normally {@code /sys/fs/cgroup}): cgroup v2 when the unified
     * hierarchy is mounted there, else the v1 hierarchies (also on a hybrid host, whose unified
     * hierarchy has no controllers: they are all bound to v1).
     */
    static CgroupLimits detect(Path mount) {
        return Files.isRegularFile(mount.resolve("cgroup.controllers")) ? new CgroupV2(mount) : new CgroupV1(mount);
    }
}
