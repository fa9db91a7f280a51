package io.spew.build;

import io.spew.Registration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The builds imported on this host. A build is named by {@code sha256:…} (or a unique prefix of
 * 12 or more hex digits), {@code name} (its newest version) or {@code name@version}.
 */
public interface Builds {
    /** Every build, newest first. */
    List<Build> list();

    /** One build; throws {@code BUILD_NOT_FOUND}. */
    Build get(String ref);

    /**
     * Verifies and unpacks an archive into the store; returns the build (the existing one if the same
     * archive was imported before). A bad signature, an untrusted signer, a missing signature without
     * {@code allowUnsigned}, or an archive that breaks a rule throws and leaves nothing behind.
     */
    Build importBuild(BuildImport request, ImportProgress progress);

    /** Packs a directory into a reproducible archive and signs it, without importing it. */
    CreatedBuild create(BuildCreate request);

    /** Removes a build that no appliance, instance or version of an appliance ({@code spew history}) uses. */
    void remove(String ref);

    /**
     * Removes every build that no appliance, instance or version of an appliance uses
     * ({@code spew build prune}); returns them.
     */
    List<Build> prune();

    /**
     * Called with each step of fetching a build from another host of the cluster (a host that is asked to run an
     * instance of a build it lacks fetches it by sha256 and verifies it again); on the thread that fetches.
     */
    default Registration onFetch(Consumer<BuildFetch> listener) {
        return () -> {};
    }
}
