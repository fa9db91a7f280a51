package io.spew.impl.instance;

import io.spew.instance.Instance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Where an instance's template files are rendered again while it exists. */
final class RenderTarget {
    /** The handle attribute of the nspawn runtime that names the container's root on the host. */
    private static final String MERGED = "merged";

    private RenderTarget() {}

    /**
     * Where an instance's template files go: into the root of its running container (the overlay
     * mounted at {@code merged}, or its copy of the root), which writes its writable layer; else
     * straight into its writable layer ({@code nspawn}) or its {@code files/} directory.
     */
    static Path of(InstanceRecord record, Instance instance) {
        if (instance.state().isActive() && record.handle != null) {
            String root = record.handle.attributes().get(MERGED);
            if (root != null && isRoot(Path.of(root))) {
                return Path.of(root);
            }
        }
        return record.directory.resolve(instance.runtime().equals(SpecResolver.LAYERED_RUNTIME)
                ? SpecResolver.UPPER : SpecResolver.FILES);
    }

    /** Whether a container's root is there: a mounted overlay, or a copy of the root. */
    private static boolean isRoot(Path root) {
        try {
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            return !root.getFileName().toString().equals(MERGED)
                    || !Files.getAttribute(root, "unix:dev").equals(Files.getAttribute(root.getParent(), "unix:dev"));
        } catch (IOException e) {
            return false;
        }
    }
}
