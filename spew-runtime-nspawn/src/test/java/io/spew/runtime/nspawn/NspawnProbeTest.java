package io.spew.runtime.nspawn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe says exactly what is missing, with the host's tools hidden behind fake files. */
class NspawnProbeTest {
    @TempDir
    Path directory;

    private HostTools tools(boolean nspawn, boolean overlay, boolean root) throws Exception {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        if (nspawn) {
            Path program = bin.resolve("systemd-nspawn");
            Files.writeString(program, "#!/bin/sh\n");
            Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path filesystems = Files.writeString(directory.resolve("filesystems"),
                "nodev\tsysfs\nnodev\ttmpfs\n\text4\n" + (overlay ? "nodev\toverlay\n" : ""));
        Path status = Files.writeString(directory.resolve("status"),
                "Name:\tjava\nUid:\t" + (root ? "1000\t0\t0\t0" : "1000\t1000\t1000\t1000") + "\n");
        return new HostTools(List.of(bin), filesystems, status, directory.resolve("no-systemd"));
    }

    @Test
    void passesWhenEverythingIsThere() throws Exception {
        HostTools tools = tools(true, true, true);
        assertThat(tools.missing()).isEmpty();
        assertThat(tools.nspawn()).contains(directory.resolve("bin/systemd-nspawn"));
        assertThat(tools.machined()).isFalse();
        assertThat(new NspawnRuntimeFactory(tools).probe(null).passed()).isTrue();
    }

    @Test
    void saysToInstallSystemdContainer() throws Exception {
        assertThat(new NspawnRuntimeFactory(tools(false, true, true)).probe(null).reason())
                .isEqualTo("systemd-nspawn not installed: install systemd-container (apt-get install systemd-container)");
    }

    @Test
    void withoutOverlayfsItPassesAndTheRuntimeCopiesRoots() throws Exception {
        HostTools tools = tools(true, false, true);
        assertThat(tools.missing()).isEmpty();
        assertThat(tools.overlay()).isFalse();
        assertThat(tools(true, true, true).overlay()).isTrue();
    }

    @Test
    void saysNotRoot() throws Exception {
        assertThat(tools(true, true, false).missing())
                .isEqualTo("not root: runtime nspawn mounts and runs containers, run the daemon as root");
    }

    @Test
    void listsEveryMissingThing() throws Exception {
        assertThat(tools(false, false, false).missing().split("; ")).hasSize(2);
    }
}
