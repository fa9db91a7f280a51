package io.spew.impl.runtime;

import io.spew.instance.InstanceSpec;
import io.spew.instance.StopPolicy;
import io.spew.runtime.noop.VoidRuntimeFactory;
import io.spew.spi.runtime.InstanceRuntimeFactory;
import io.spew.spi.runtime.RuntimeContext;
import io.spew.spi.runtime.SpawnRequest;
import io.spew.spi.runtime.SpawnedProcess;
import io.spew.testing.InstanceRuntimeContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The void runtime passes the runtime contract in observe mode: the script runs as a process started
 * outside the runtime, which the instance then observes.
 */
class VoidRuntimeContractTest extends InstanceRuntimeContract {
    @Override
    protected InstanceRuntimeFactory factory() {
        return new VoidRuntimeFactory();
    }

    @Override
    protected RuntimeContext context() {
        return RealRuntimeContext.CONTEXT;
    }

    @Override
    protected InstanceSpec spec(String name, String script, StopPolicy stop, Path stdout, Path stderr) {
        SpawnedProcess external = context().processes().spawn(new SpawnRequest(List.of("/bin/sh", "-c", script),
                scriptEnvironment(), null, stdout, stderr, true));
        return new InstanceSpec(name, "contract", 1, "void", List.of(), Map.of(), null, stop,
                Map.of("mode", "observe", "pid", Long.toString(external.pid())));
    }
}
