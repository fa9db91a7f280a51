package io.spew.runtime.nspawn;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.spi.Probe;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.InstanceRuntimeFactory;
import io.spew.spi.runtime.RuntimeContext;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code nspawn} runtime: systemd-nspawn over an overlayfs root. Its priority is below
 * {@code shell}'s: an appliance gets it by naming it ({@code runtime: nspawn}), since an appliance
 * without a build has nothing for it to run.
 */
public final class NspawnRuntimeFactory implements InstanceRuntimeFactory {
    private final HostTools tools;

    public NspawnRuntimeFactory() {
        this(HostTools.system());
    }

    NspawnRuntimeFactory(HostTools tools) {
        this.tools = tools;
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public String name() {
        return NspawnRuntime.NAME;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Probe probe(RuntimeContext context) {
        String missing = tools.missing();
        return missing.isEmpty() ? Probe.ok() : Probe.unavailable(missing);
    }

    @Override
    public InstanceRuntime create(RuntimeContext context) {
        String missing = tools.missing();
        if (!missing.isEmpty()) {
            throw new SpewException(ErrorCode.RUNTIME_UNAVAILABLE, "runtime nspawn is not available here: " + missing);
        }
        prepareNspawnRun();
        boolean overlay = tools.overlay();
        if (!overlay) {
            System.getLogger(NspawnRuntimeFactory.class.getName()).log(System.Logger.Level.WARNING,
                    HostTools.NO_OVERLAY + ": each instance gets a copy of its build's rootfs instead (reflinked"
                            + " where the file system can), which costs disk and start time per byte");
        }
        return new NspawnRuntime(context, tools.nspawn().orElseThrow(), tools.machined(),
                CgroupLimits.detect(Path.of("/sys/fs/cgroup")), overlay);
    }

    /**
     * nspawn keeps a directory per container under {@code /run/systemd/nspawn} and removes it only from
     * a tmpfs (else it prints an error into the instance's log); where {@code /run} is no tmpfs (hosts
     * without systemd), that directory gets one.
     */
    private static void prepareNspawnRun() {
        Path directory = Path.of("/run/systemd/nspawn");
        try {
            Files.createDirectories(directory);
            if (!Mounts.filesystemType(directory).equals("tmpfs")) {
                Mounts.tmpfs(directory);
            }
        } catch (Exception e) {
            System.getLogger(NspawnRuntimeFactory.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot mount a tmpfs at " + directory + ": " + e.getMessage());
        }
    }
}
