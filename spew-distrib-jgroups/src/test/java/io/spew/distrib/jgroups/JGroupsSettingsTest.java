package io.spew.distrib.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JGroupsSettingsTest {
    @Test
    void defaultsNeedOnlyTheKey() {
        JGroupsSettings settings = JGroupsSettings.parse(Map.of("cluster-key", TestCluster.KEY));
        assertThat(settings.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(7800);
        assertThat(settings.initialMembers()).isEmpty();
        assertThat(settings.clusterName()).isEqualTo("spew");
        assertThat(settings.clusterKey()).isEqualTo(ClusterKey.parse(TestCluster.KEY, "x"));
    }

    @Test
    void aMemberSilentForTheLostAfterTimeIsOutOfTheViewWithinIt() {
        JGroupsSettings byDefault = JGroupsSettings.parse(Map.of("cluster-key", TestCluster.KEY));
        JGroupsSettings quick = JGroupsSettings.parse(Map.of("cluster-key", TestCluster.KEY, "lost-after-ms", "5000"));
        JGroupsSettings told = JGroupsSettings.parse(Map.of("cluster-key", TestCluster.KEY, "lost-after-ms", "5000",
                "failure-timeout-ms", "4000"));

        // suspected after the failure timeout and at most a heartbeat interval (a sixth of it), then verified
        assertThat(byDefault.failureTimeoutMillis() * 7 / 6 + byDefault.verifyTimeoutMillis())
                .isLessThanOrEqualTo(10_000);
        assertThat(byDefault.failureTimeoutMillis()).isEqualTo(6000);
        assertThat(byDefault.verifyTimeoutMillis()).isEqualTo(2000);
        assertThat(quick.failureTimeoutMillis()).isEqualTo(3000);
        assertThat(quick.verifyTimeoutMillis()).isEqualTo(1000);
        assertThat(told.failureTimeoutMillis()).isEqualTo(4000);
        assertThat(told.verifyTimeoutMillis()).isEqualTo(1000);
        assertThat(quick.forRaft().failureTimeoutMillis()).isEqualTo(3000);
        assertRejected(Map.of("cluster-key", TestCluster.KEY, "lost-after-ms", "999"), ErrorCode.INVALID_ARGUMENT,
                "'lost-after-ms'");
    }

    @Test
    void everySettingIsRead(@TempDir Path directory) throws Exception {
        Path keyFile = directory.resolve("cluster.key");
        Files.writeString(keyFile, TestCluster.KEY + "\n");
        JGroupsSettings settings = JGroupsSettings.parse(Map.of("bind-address", "10.0.0.1", "port", "7900",
                "initial-members", "10.0.0.1[7900], db-2.example[7801]", "cluster-name", "prod",
                "cluster-key-file", keyFile.toString(), "join-timeout-ms", "1", "failure-timeout-ms", "2",
                "verify-timeout-ms", "3", "merge-interval-ms", "4"));
        assertThat(settings).isEqualTo(new JGroupsSettings("10.0.0.1", 7900,
                List.of(new HostAndPort("10.0.0.1", 7900), new HostAndPort("db-2.example", 7801)), "prod",
                ClusterKey.parse(TestCluster.KEY, "x"), 1, 2, 3, 4));
        assertThat(settings.toString()).doesNotContain(TestCluster.KEY);
    }

    @Test
    void anUnknownKeyIsRejectedByName() {
        assertRejected(Map.of("cluster-key", TestCluster.KEY, "prot", "7800"), ErrorCode.INVALID_ARGUMENT, "'prot'");
    }

    @Test
    void badValuesAreRejectedNamingTheirKey() {
        assertRejected(Map.of("cluster-key", TestCluster.KEY, "port", "seventy"), ErrorCode.INVALID_ARGUMENT, "'port'");
        assertRejected(Map.of("cluster-key", TestCluster.KEY, "port", "70000"), ErrorCode.INVALID_ARGUMENT, "'port'");
        assertRejected(Map.of("cluster-key", TestCluster.KEY, "initial-members", "10.0.0.1:7800"),
                ErrorCode.INVALID_ARGUMENT, "'initial-members'");
        assertRejected(Map.of("cluster-key", TestCluster.KEY, "cluster-name", "a b"), ErrorCode.INVALID_ARGUMENT, "'cluster-name'");
        assertRejected(Map.of("cluster-key", TestCluster.KEY, "merge-interval-ms", "0"), ErrorCode.INVALID_ARGUMENT,
                "'merge-interval-ms'");
    }

    @Test
    void theKeyIsRequiredOnceAndMustBeLongEnough() {
        assertRejected(Map.of(), ErrorCode.INVALID_ARGUMENT, "'cluster-key'");
        Map<String, String> both = new HashMap<>(Map.of("cluster-key", TestCluster.KEY, "cluster-key-file", "/k"));
        assertRejected(both, ErrorCode.INVALID_ARGUMENT, "exactly one");
        assertRejected(Map.of("cluster-key", "c2hvcnQ="), ErrorCode.INVALID_KEY, "at least 16");
        assertRejected(Map.of("cluster-key", "not base64!"), ErrorCode.INVALID_KEY, "'cluster-key'");
        assertRejected(Map.of("cluster-key-file", "/nonexistent/cluster.key"), ErrorCode.KEY_NOT_FOUND, "/nonexistent/cluster.key");
    }

    private static void assertRejected(Map<String, String> config, ErrorCode code, String mentioned) {
        assertThatThrownBy(() -> JGroupsSettings.parse(config))
                .isInstanceOf(SpewException.class)
                .hasMessageContaining(mentioned)
                .satisfies(e -> assertThat(((SpewException) e).code()).isEqualTo(code));
    }
}
