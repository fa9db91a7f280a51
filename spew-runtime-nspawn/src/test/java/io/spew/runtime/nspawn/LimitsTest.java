package io.spew.runtime.nspawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.instance.InstanceSpec;
import io.spew.instance.StopPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsTest {
    @Test
    void parsesSizesCpusAndPids() {
        assertThat(Limits.parse(Map.of("memory", "512M", "cpus", "0.5", "pids", "100")))
                .isEqualTo(new Limits(512L << 20, 500, 100));
        assertThat(Limits.parse(Map.of("memory", "2g")).memoryBytes()).isEqualTo(2L << 30);
        assertThat(Limits.parse(Map.of("cpus", "2")).cpuQuotaMicros()).isEqualTo(200_000);
        assertThat(Limits.parse(Map.of()).isEmpty()).isTrue();
    }

    @Test
    void refusesBadValues() {
        assertThatThrownBy(() -> Limits.parse(Map.of("memory", "lots"))).hasMessageContaining("memory takes a size");
        assertThatThrownBy(() -> Limits.parse(Map.of("memory", "12"))).hasMessageContaining("at least 1M");
        assertThatThrownBy(() -> Limits.parse(Map.of("cpus", "0.0001"))).hasMessageContaining("cpus");
        assertThatThrownBy(() -> Limits.parse(Map.of("pids", "1"))).hasMessageContaining("pids must be at least 2");
    }

    @Test
    void withSystemdTheLimitsAreScopeProperties() {
        InstanceSpec spec = new InstanceSpec("a", "a", 1, "nspawn", "sha256:ab", List.of(), Map.of(), null,
                StopPolicy.DEFAULT, Map.of());
        NspawnConfig config = NspawnConfig.parse(Map.of("memory", "64M", "cpus", "0.25", "pids", "20"));
        assertThat(NspawnCommand.of(Path.of("/usr/bin/systemd-nspawn"), true, spec, config, Path.of("/m"), List.of(),
                List.of("/run.sh"))).contains("--property=MemoryMax=67108864", "--property=CPUQuota=25%",
                "--property=TasksMax=20").doesNotContain("--register=no", "--keep-unit");
    }

    @Test
    void withoutSystemdNspawnJoinsTheCgroupsBeforeItRuns() {
        assertThat(NspawnCommand.joiningCgroups(List.of(Path.of("/cg/memory/spew/x/cgroup.procs")),
                List.of("/usr/bin/systemd-nspawn", "--quiet"))).containsExactly("/bin/sh", "-c",
                "for procs in '/cg/memory/spew/x/cgroup.procs'; do echo $$ > \"$procs\" || exit 125; done;"
                        + " exec \"$0\" \"$@\"", "/usr/bin/systemd-nspawn", "--quiet");
        assertThat(NspawnCommand.joiningCgroups(List.of(), List.of("nspawn"))).containsExactly("nspawn");
    }
}
