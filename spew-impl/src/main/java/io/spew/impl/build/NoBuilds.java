package io.spew.impl.build;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.build.Build;
import io.spew.build.Builds;
import java.util.List;

/** The build store until build import lands: it holds no build, and says so. */
public final class NoBuilds implements Builds {
    @Override
    public List<Build> list() {
        return List.of();
    }

    @Override
    public Build get(String ref) {
        throw new SpewException(ErrorCode.BUILD_NOT_FOUND,
                "no build '" + ref + "': this version of Spew cannot import builds yet");
    }
}
