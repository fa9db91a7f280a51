package io.spew.build;

import java.util.List;

/** The builds imported on this host. */
public interface Builds {
    /** Every build, newest first. */
    List<Build> list();

    /** A build by {@code sha256:…}, {@code name} (newest) or {@code name@version}; throws {@code BUILD_NOT_FOUND}. */
    Build get(String ref);
}
