package io.spew.daemon.api;

import io.spew.build.BuildCreate;
import java.nio.file.Path;

/** The body of {@code POST /api/v1/builds/create}: paths on the daemon's host, absolute. */
public record CreateBuildRequest(String directory, String name, String version, String output, String key,
        boolean keepMtimes) {

    BuildCreate toCreate() {
        return new BuildCreate(Path.of(directory), name, version, output == null ? null : Path.of(output),
                key == null ? null : Path.of(key), keepMtimes);
    }
}
