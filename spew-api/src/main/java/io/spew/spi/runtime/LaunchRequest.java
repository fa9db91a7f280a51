package io.spew.spi.runtime;

import static java.util.Objects.requireNonNull;

import io.spew.instance.InstanceSpec;
import java.nio.file.Path;

/**
 * What a runtime needs to start one instance.
 *
 * @param instanceId the instance's id
 * @param spec the rendered spec
 * @param directory the instance's own directory, which the runtime may use
 * @param stdout where the instance's standard output goes: a FIFO the engine reads into the
 *     instance's rotated log files (open it for reading and writing, as {@code HostProcesses.spawn}
 *     does, so that writes wait rather than fail while no engine reads), or a plain file to append to
 * @param stderr where the instance's standard error goes, the same way
 */
public record LaunchRequest(String instanceId, InstanceSpec spec, Path directory, Path stdout, Path stderr) {
    public LaunchRequest {
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(directory, "directory is null");
        requireNonNull(stdout, "stdout is null");
        requireNonNull(stderr, "stderr is null");
    }
}
