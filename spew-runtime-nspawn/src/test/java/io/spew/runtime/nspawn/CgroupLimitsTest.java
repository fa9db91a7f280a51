package io.spew.runtime.nspawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits through the cgroup file system, on directory trees laid out like cgroup v1 and v2 mounts
 * (this host's real cgroup v1 files are checked by {@code NspawnEngineIT}; its unified hierarchy has
 * no controllers, so v2 is checked here only).
 */
class CgroupLimitsTest {
    private static final Limits ALL = new Limits(64L << 20, 500, 50);

    @TempDir
    Path mount;

    @Test
    void aUnifiedMountIsCgroupV2AndEverythingElseV1() throws Exception {
        assertThat(CgroupLimits.detect(mount)).isEqualTo(new CgroupV1(mount));
        Files.writeString(mount.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        assertThat(CgroupLimits.detect(mount)).isEqualTo(new CgroupV2(mount));
    }

    @Test
    void onCgroupV2TheLimitsAreWrittenToTheInstancesGroupAfterTheControllersAreEnabled() throws Exception {
        Files.writeString(mount.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        List<Path> procs = CgroupLimits.detect(mount).create("i1", ALL);

        Path group = mount.resolve("spew/i1");
        assertThat(procs).containsExactly(group.resolve("cgroup.procs"));
        assertThat(mount.resolve("cgroup.subtree_control")).hasContent("+memory +cpu +pids");
        assertThat(mount.resolve("spew/cgroup.subtree_control")).hasContent("+memory +cpu +pids");
        assertThat(group.resolve("memory.max")).hasContent(Long.toString(64L << 20));
        assertThat(group.resolve("cpu.max")).hasContent("50000 100000");
        assertThat(group.resolve("pids.max")).hasContent("50");
    }

    @Test
    void onCgroupV2OnlyTheControllersOfTheLimitsGiven() throws Exception {
        Files.writeString(mount.resolve("cgroup.controllers"), "pids\n");
        new CgroupV2(mount).create("i2", new Limits(0, 0, 20));
        assertThat(mount.resolve("spew/cgroup.subtree_control")).hasContent("+pids");
        assertThat(mount.resolve("spew/i2/pids.max")).hasContent("20");
        assertThat(mount.resolve("spew/i2/memory.max")).doesNotExist();
    }

    @Test
    void onCgroupV2AMissingControllerFailsTheStartSayingWhich() throws Exception {
        Files.writeString(mount.resolve("cgroup.controllers"), "cpu pids\n");
        assertThatThrownBy(() -> new CgroupV2(mount).create("i3", ALL)).isInstanceOf(SpewException.class)
                .hasMessageContaining("cgroup v2 controller 'memory'")
                .satisfies(e -> assertThat(((SpewException) e).code()).isEqualTo(ErrorCode.START_FAILED));
        assertThat(mount.resolve("spew/i3")).doesNotExist();
    }

    @Test
    void onCgroupV1EachControllerHasAGroupOfItsOwn() throws Exception {
        for (String controller : List.of("memory", "cpu", "pids")) {
            Files.createDirectories(mount.resolve(controller));
        }
        Files.writeString(mount.resolve("memory/memory.limit_in_bytes"), "9223372036854771712\n");
        List<Path> procs = CgroupLimits.detect(mount).create("i4", ALL);

        assertThat(procs).containsExactly(mount.resolve("memory/spew/i4/cgroup.procs"),
                mount.resolve("cpu/spew/i4/cgroup.procs"), mount.resolve("pids/spew/i4/cgroup.procs"));
        assertThat(mount.resolve("memory/spew/i4/memory.limit_in_bytes")).hasContent(Long.toString(64L << 20));
        assertThat(mount.resolve("cpu/spew/i4/cpu.cfs_quota_us")).hasContent("50000");
        assertThat(mount.resolve("cpu/spew/i4/cpu.cfs_period_us")).hasContent("100000");
        assertThat(mount.resolve("pids/spew/i4/pids.max")).hasContent("50");
    }

    @Test
    void withNeitherTheStartFailsSayingWhatIsNeeded() {
        assertThatThrownBy(() -> CgroupLimits.detect(mount).create("i5", ALL))
                .hasMessageContaining("limits need cgroup v2, or the cgroup v1 hierarchies memory, cpu and pids");
    }
}
