package io.spew.runtime.nspawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.SpewException;
import io.spew.instance.InstanceSpec;
import io.spew.instance.StopPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NspawnConfigTest {
    @TempDir
    Path directory;

    @Test
    void unknownKeysAreRefused() {
        assertThatThrownBy(() -> NspawnConfig.parse(Map.of("memroy", "1G")))
                .isInstanceOf(SpewException.class).hasMessageContaining("no config key memroy");
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> NspawnConfig.parse(Map.of("private-network", "yes")))
                .hasMessageContaining("private-network must be true or false");
        assertThatThrownBy(() -> NspawnConfig.parse(Map.of("bind", "relative/path")))
                .hasMessageContaining("bind takes absolute paths");
        assertThatThrownBy(() -> NspawnConfig.parse(Map.of("root", "rootfs")))
                .hasMessageContaining("root must be an absolute path");
    }

    @Test
    void commandLineCarriesTheSettings() {
        NspawnConfig config = NspawnConfig.parse(Map.of("bind", "/srv/data:/data, /var/cache", "bind-ro", "/etc/ssl",
                "tmpfs", "/scratch", "private-network", "true"));
        InstanceSpec spec = new InstanceSpec("web-1", "web", 1, "nspawn", "sha256:ab", List.of(), Map.of("A", "b"),
                "/srv", StopPolicy.DEFAULT, Map.of());
        assertThat(NspawnCommand.of(Path.of("/usr/bin/systemd-nspawn"), false, spec, config, Path.of("/i/merged"), List.of(),
                List.of("/run.sh"))).containsExactly("/usr/bin/systemd-nspawn", "--quiet", "--console=pipe", "--as-pid2",
                "--machine=web-1", "--directory=/i/merged", "--register=no", "--keep-unit", "--hostname=web-1",
                "--chdir=/srv", "--setenv=A=b", "--bind=/srv/data:/data", "--bind=/var/cache", "--bind-ro=/etc/ssl",
                "--tmpfs=/scratch", "--private-network", "--", "/run.sh");
    }

    @Test
    void entryPointComesFromTheBuildMetadata() throws Exception {
        assertThat(EntryPoint.of(directory)).isEqualTo("/run.sh");
        Files.writeString(directory.resolve("SPEWMETA"), "TARGET=x\nRUN=\"/opt/start\"\n");
        assertThat(EntryPoint.of(directory)).isEqualTo("/opt/start");
        Files.createDirectories(directory.resolve(".spew"));
        Files.writeString(directory.resolve(".spew/build.json"), "{\"name\": \"x\", \"run\": \"/srv/go\"}");
        assertThat(EntryPoint.of(directory)).isEqualTo("/srv/go");
    }

    @Test
    void theLowerLayerIsTheBuildsRootfs() {
        InstanceSpec spec = new InstanceSpec("web-1", "web", 1, "nspawn", "sha256:abc", List.of(), Map.of(),
                null, StopPolicy.DEFAULT, Map.of());
        var request = new io.spew.spi.runtime.LaunchRequest("id", spec, Path.of("/data/instances/id"),
                Path.of("/o"), Path.of("/e"));
        assertThat(NspawnRuntime.lowerLayer(request, NspawnConfig.parse(Map.of())))
                .isEqualTo(Path.of("/data/builds/abc/rootfs"));
    }
}
