package io.spew.impl.instance;

import io.spew.instance.Instance;
import io.spew.spi.runtime.RuntimeHandle;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** The mutable state of one instance, guarded by the record itself. */
final class InstanceRecord {
    final Path directory;
    Instance instance;
    RuntimeHandle handle;
    /** Completes when the current process has ended. */
    CompletableFuture<Instance> ended = new CompletableFuture<>();

    InstanceRecord(Path directory, Instance instance, RuntimeHandle handle) {
        this.directory = directory;
        this.instance = instance;
        this.handle = handle;
    }
}
