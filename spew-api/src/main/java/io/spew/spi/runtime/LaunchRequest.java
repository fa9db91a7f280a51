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
 * @param stdout the file the instance's standard output goes to (appended)
 * @param stderr the file the instance's standard error goes to (appended)
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
