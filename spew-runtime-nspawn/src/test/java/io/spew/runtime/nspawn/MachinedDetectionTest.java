package io.spew.runtime.nspawn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nspawn registers with systemd-machined only where machined really is there: systemd runs the host
 * and {@code org.freedesktop.machine1} is on the system bus. A fake {@code busctl} plays the bus.
 */
class MachinedDetectionTest {
    private static final String BUS_WITH_MACHINED = """
            :1.1                        1 systemd  root :1.1 init.scope - -
            org.freedesktop.machine1    - -        -    (activatable) - - -
            org.freedesktop.systemd1    1 systemd  root :1.1 init.scope - -
            """;

    @TempDir
    Path directory;

    /** Host tools whose {@code busctl} prints {@code names} and exits with {@code exitCode}, and logs its call. */
    private HostTools tools(boolean systemdRuns, String names, int exitCode) throws Exception {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        Path busctl = bin.resolve("busctl");
        Files.writeString(busctl, "#!/bin/sh\necho \"$@\" >> " + directory.resolve("calls") + "\ncat <<'NAMES'\n"
                + names + "NAMES\nexit " + exitCode + "\n");
        Files.setPosixFilePermissions(busctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path systemd = directory.resolve("run-systemd-system");
        if (systemdRuns) {
            Files.createDirectories(systemd);
        }
        return new HostTools(List.of(bin), directory.resolve("filesystems"), directory.resolve("status"), systemd);
    }

    @Test
    void registersWhereSystemdRunsTheHostAndMachinedIsOnTheBus() throws Exception {
        assertThat(tools(true, BUS_WITH_MACHINED, 0).machined()).isTrue();
        assertThat(Files.readString(directory.resolve("calls"))).isEqualTo("--system --no-pager --no-legend --timeout=2 list\n");
    }

    @Test
    void withoutSystemdTheBusIsNotEvenAsked() throws Exception {
        assertThat(tools(false, BUS_WITH_MACHINED, 0).machined()).isFalse();
        assertThat(directory.resolve("calls")).doesNotExist();
    }

    @Test
    void systemdWithoutMachinedDoesNotRegister() throws Exception {
        assertThat(tools(true, ":1.1 1 systemd root :1.1 init.scope - -\norg.freedesktop.systemd1 1 systemd root\n", 0)
                .machined()).isFalse();
    }

    @Test
    void aBusThatCannotBeAskedDoesNotRegister() throws Exception {
        assertThat(tools(true, BUS_WITH_MACHINED, 1).machined()).isFalse();
    }

    @Test
    void withoutBusctlItDoesNotRegister() throws Exception {
        Files.createDirectories(directory.resolve("run-systemd-system"));
        assertThat(new HostTools(List.of(directory), directory.resolve("filesystems"), directory.resolve("status"),
                directory.resolve("run-systemd-system")).machined()).isFalse();
    }
}
