package io.spew.runtime.nspawn;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits through cgroup v1 directly: one group per instance under {@code spew/} in the memory, cpu
 * and pids hierarchies, which nspawn joins before it starts. The {@code pids} group is also the one
 * the engine contains the instance in ({@code HostProcesses.killAll} kills and removes it): nspawn is
 * born in it already, and this class only writes its limit.
 *
 * @param root where the hierarchies are mounted ({@code /sys/fs/cgroup})
 */
record CgroupV1(Path root) implements CgroupLimits {
    static final CgroupV1 SYSTEM = new CgroupV1(Path.of("/sys/fs/cgroup"));

    boolean available() {
        return Files.isDirectory(root.resolve("memory")) && Files.isRegularFile(root.resolve("memory/memory.limit_in_bytes"));
    }

    Path group(String controller, String instanceId) {
        return root.resolve(controller).resolve("spew").resolve(instanceId);
    }

    @Override
    public List<Path> create(String instanceId, Limits limits) {
        if (!available()) {
            throw new SpewException(ErrorCode.START_FAILED, "runtime nspawn: limits need cgroup v2, or the cgroup"
                    + " v1 hierarchies memory, cpu and pids, under " + root + " (or systemd-machined)");
        }
        List<Path> procs = new ArrayList<>();
        try {
            if (limits.memoryBytes() > 0) {
                Path group = Files.createDirectories(group("memory", instanceId));
                write(group.resolve("memory.limit_in_bytes"), limits.memoryBytes());
                procs.add(group.resolve("cgroup.procs"));
            }
            if (limits.cpuMillis() > 0) {
                Path group = Files.createDirectories(group("cpu", instanceId));
                write(group.resolve("cpu.cfs_period_us"), Limits.CPU_PERIOD_MICROS);
                write(group.resolve("cpu.cfs_quota_us"), limits.cpuQuotaMicros());
                procs.add(group.resolve("cgroup.procs"));
            }
            if (limits.pids() > 0) {
                Path group = Files.createDirectories(group("pids", instanceId));
                write(group.resolve("pids.max"), limits.pids());
                procs.add(group.resolve("cgroup.procs"));
            }
        } catch (IOException e) {
            remove(instanceId);
            throw new SpewException(ErrorCode.START_FAILED, "runtime nspawn: cannot set the limits of instance "
                    + instanceId + " in " + root + ": " + e.getMessage());
        }
        return procs;
    }

    @Override
    public void remove(String instanceId) {
        if (instanceId.isEmpty() || instanceId.contains("/")) {
            return;
        }
        for (String controller : List.of("memory", "cpu", "pids")) {
            try {
                Files.deleteIfExists(group(controller, instanceId));
            } catch (IOException e) {
                // still in use, or never made
            }
        }
    }

    private static void write(Path file, long value) throws IOException {
        Files.writeString(file, Long.toString(value));
    }
}
