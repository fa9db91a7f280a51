package io.spew.impl.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpawningThreadTest {
    private static final String V1 = "12:pids:/user.slice/u\n11:cpu,cpuacct:/a\n1:name=systemd:/init.scope\n0::/x\n";

    @Test
    void theGroupOfAControllerIsFoundInItsOwnLineOrAmongOthers() {
        assertThat(SpawningThread.groupOf(V1, "pids")).contains("/user.slice/u");
        assertThat(SpawningThread.groupOf(V1, "cpuacct")).contains("/a");
        assertThat(SpawningThread.groupOf(V1, "cpu")).contains("/a");
    }

    @Test
    void aControllerNoLineNamesHasNoGroup() {
        assertThat(SpawningThread.groupOf(V1, "pid")).isEmpty();
        assertThat(SpawningThread.groupOf(V1, "memory")).isEmpty();
        assertThat(SpawningThread.groupOf("", "pids")).isEmpty();
    }

    @Test
    void theLastLineNeedsNoNewline() {
        assertThat(SpawningThread.groupOf("3:pids:/spew/abc", "pids")).contains("/spew/abc");
    }

    @Test
    void aGroupMayHoldColons() {
        assertThat(SpawningThread.groupOf("3:pids:/a:b\n", "pids")).contains("/a:b");
    }
}
