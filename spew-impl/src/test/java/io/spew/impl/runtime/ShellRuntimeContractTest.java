package io.spew.impl.runtime;

import io.spew.instance.InstanceSpec;
import io.spew.instance.StopPolicy;
import io.spew.runtime.shell.ShellRuntimeFactory;
import io.spew.spi.runtime.InstanceRuntimeFactory;
import io.spew.spi.runtime.RuntimeContext;
import io.spew.testing.InstanceRuntimeContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The shell runtime passes the runtime contract. */
class ShellRuntimeContractTest extends InstanceRuntimeContract {
    @Override
    protected InstanceRuntimeFactory factory() {
        return new ShellRuntimeFactory();
    }

    @Override
    protected RuntimeContext context() {
        return RealRuntimeContext.CONTEXT;
    }

    @Override
    protected InstanceSpec spec(String name, String script, StopPolicy stop, Path stdout, Path stderr) {
        return new InstanceSpec(name, "contract", 1, "shell", List.of("/bin/sh", "-c", script), scriptEnvironment(),
                null, stop, Map.of());
    }
}
