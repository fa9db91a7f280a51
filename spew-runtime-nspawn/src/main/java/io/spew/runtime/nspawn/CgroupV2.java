package io.spew.runtime.nspawn;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Limits through cgroup v2 directly: written to the instance's own group {@code spew/<instance id>},
 * the one the engine contains the instance in ({@code HostProcesses}: nspawn is born in it), after
 * the controllers are enabled for {@code spew/} and its groups ({@code cgroup.subtree_control} of the
 * hierarchy's root and of {@code spew/}). Everything below the group (nspawn moves itself to
 * {@code supervisor/} and the container to {@code payload/} there) is held by them. The group goes
 * with the engine's {@code killAll} when the container ends.
 *
 * @param hierarchy where cgroup v2 is mounted ({@code /sys/fs/cgroup})
 */
record CgroupV2(Path hierarchy) implements CgroupLimits {
    private static final String SUBTREE = "spew";

    Path group(String instanceId) {
        return hierarchy.resolve(SUBTREE).resolve(instanceId);
    }

    @Override
    public List<Path> create(String instanceId, Limits limits) {
        List<String> controllers = controllers(limits);
        try {
            Set<String> available = Set.of(Files.readString(hierarchy.resolve("cgroup.controllers")).trim().split("\\s+"));
            for (String controller : controllers) {
                if (!available.contains(controller)) {
                    throw new SpewException(ErrorCode.START_FAILED, "runtime nspawn: the limits of instance "
                            + instanceId + " need the cgroup v2 controller '" + controller + "', which " + hierarchy
                            + "/cgroup.controllers lacks (it is bound to a cgroup v1 hierarchy, or not delegated here)");
                }
            }
            String enable = "+" + String.join(" +", controllers);
            Path subtree = Files.createDirectories(hierarchy.resolve(SUBTREE));
            Files.writeString(hierarchy.resolve("cgroup.subtree_control"), enable);
            Files.writeString(subtree.resolve("cgroup.subtree_control"), enable);
            Path group = Files.createDirectories(group(instanceId));
            if (limits.memoryBytes() > 0) {
                Files.writeString(group.resolve("memory.max"), Long.toString(limits.memoryBytes()));
            }
            if (limits.cpuMillis() > 0) {
                Files.writeString(group.resolve("cpu.max"), limits.cpuQuotaMicros() + " " + Limits.CPU_PERIOD_MICROS);
            }
            if (limits.pids() > 0) {
                Files.writeString(group.resolve("pids.max"), Long.toString(limits.pids()));
            }
            return List.of(group.resolve("cgroup.procs"));
        } catch (IOException e) {
            remove(instanceId);
            throw new SpewException(ErrorCode.START_FAILED, "runtime nspawn: cannot set the limits of instance "
                    + instanceId + " in cgroup v2 at " + hierarchy + ": " + e.getMessage()
                    + " (a group that holds processes cannot pass controllers on to its children)");
        }
    }

    private static List<String> controllers(Limits limits) {
        List<String> controllers = new ArrayList<>();
        if (limits.memoryBytes() > 0) {
            controllers.add("memory");
        }
        if (limits.cpuMillis() > 0) {
            controllers.add("cpu");
        }
        if (limits.pids() > 0) {
            controllers.add("pids");
        }
        return controllers;
    }

    @Override
    public void remove(String instanceId) {
        if (instanceId.isEmpty() || instanceId.contains("/")) {
            return;
        }
        try {
            Files.deleteIfExists(group(instanceId));
        } catch (IOException e) {
            // still in use (the engine's killAll empties and removes it), or never made
        }
    }
}
