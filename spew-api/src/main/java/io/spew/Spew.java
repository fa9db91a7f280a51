package io.spew;

import io.spew.appliance.Appliances;
import io.spew.build.Builds;
import io.spew.environment.Environments;
import io.spew.host.Hosts;
import io.spew.instance.Instances;
import io.spew.service.Services;
import io.spew.trust.Trust;

/**
 * The whole of Spew as a library: builds, appliances, instances and hosts of one data directory.
 * Get one from {@code SpewEngine.builder().dataDirectory(dir).start()} in {@code spew-impl}. Closing
 * it stops the engine; the instances it started keep running and are adopted again by the next
 * engine on the same data directory.
 */
public interface Spew extends AutoCloseable {
    Builds builds();

    Appliances appliances();

    Instances instances();

    Hosts hosts();

    Trust trust();

    /** Environment files: plan, start (converge) and stop. */
    Environments environments();

    /** The catalog of services offered by running instances. */
    Services services();

    @Override
    void close();
}
