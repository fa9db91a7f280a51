package io.spew.runtime.nspawn;

import io.spew.instance.InstanceSpec;
import io.spew.instance.StopPolicy;
import io.spew.spi.runtime.InstanceRuntimeFactory;
import io.spew.spi.runtime.RuntimeContext;
import io.spew.spi.runtime.RuntimeHandle;
import io.spew.testing.InstanceRuntimeContract;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nspawn runtime passes the runtime contract, on a busybox root made here. The test directory is
 * bound into the container at the same path, so files the scripts write are seen from the host.
 */
class NspawnRuntimeContractIT extends InstanceRuntimeContract {
    @TempDir
    static Path rootParent;

    private static Path root;

    @BeforeAll
    static void makeRoot() throws Exception {
        NspawnHost.requireNspawn();
        root = BusyboxRoot.make(rootParent.resolve("rootfs"), "echo hello");
    }

    @Override
    protected InstanceRuntimeFactory factory() {
        return new NspawnRuntimeFactory();
    }

    @Override
    protected RuntimeContext context() {
        return NspawnHost.CONTEXT;
    }

    @Override
    protected InstanceSpec spec(String name, String script, StopPolicy stop, Path stdout, Path stderr) {
        Map<String, String> config = new TreeMap<>();
        config.put("root", root.toString());
        config.put("bind", directory.toString());
        return new InstanceSpec(name, "contract", 1, "nspawn", List.of("/bin/sh", "-c", script), scriptEnvironment(),
                null, stop, config);
    }

    /** Finds the host pid of the process the script knows as {@code reportedPid} in its pid namespace. */
    @Override
    protected long hostPid(RuntimeHandle handle, long reportedPid) {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String[] nspid = nspid(process);
                if (nspid.length > 1 && nspid[nspid.length - 1].equals(Long.toString(reportedPid))
                        && descendsFrom(process, handle.pid())) {
                    return Long.parseLong(process.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no process of the container has pid " + reportedPid);
    }

    private static String[] nspid(Path process) {
        try {
            return Files.readAllLines(process.resolve("status")).stream().filter(line -> line.startsWith("NSpid:"))
                    .map(line -> line.substring("NSpid:".length()).trim().split("\\s+")).findFirst()
                    .orElse(new String[0]);
        } catch (IOException e) {
            return new String[0];
        }
    }

    private static boolean descendsFrom(Path process, long ancestor) {
        long pid = Long.parseLong(process.getFileName().toString());
        for (int depth = 0; depth < 64 && pid > 1; depth++) {
            if (pid == ancestor) {
                return true;
            }
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                pid = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }
}
