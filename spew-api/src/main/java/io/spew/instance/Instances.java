package io.spew.instance;

import io.spew.Registration;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The instances of this host. An instance is named by its name, its id, or a unique prefix of its
 * id ({@code ref} below); a ref that names none throws {@code INSTANCE_NOT_FOUND}.
 */
public interface Instances {
    /** Creates an instance of an appliance and starts it; returns once its process runs. */
    Instance run(RunRequest request);

    /** Creates an instance without starting it. */
    Instance create(RunRequest request);

    /** Starts a created or ended instance; returns once its process runs. */
    Instance start(String ref);

    /** Stops an instance with its stop policy and returns once it has stopped. */
    Instance stop(String ref);

    /** Stops then starts an instance. */
    Instance restart(String ref);

    /** Sends a signal to the instance's processes. */
    Instance kill(String ref, Signal signal);

    /** Removes an instance that is not running, with its files. */
    void remove(String ref);

    /** One instance. */
    Instance get(String ref);

    /** Every instance of this host, in any state, sorted by name. */
    List<Instance> list();

    /**
     * The current file an instance's stream is written to. Older output is in the rotated files
     * beside it, newest first: {@code stdout.log.1}, {@code stdout.log.2}, ...; the engine rotates
     * them by size at the end of a line.
     */
    Path log(String ref, LogStream stream);

    /** Called with the new snapshot after each state change of any instance. */
    Registration onChange(Consumer<Instance> listener);

    /**
     * Called with each change of any instance: its creation, each change of state or health, each
     * restart; in order for each instance. The listener runs on the thread that made the change,
     * which supervises other instances too: it must return at once (hand the event to a queue of
     * its own) and never block.
     */
    Registration onEvent(Consumer<InstanceEvent> listener);
}
