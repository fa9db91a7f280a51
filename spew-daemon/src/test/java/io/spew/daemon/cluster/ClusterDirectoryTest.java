package io.spew.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterDirectoryTest {
    @TempDir
    Path data;

    @Test
    void noKeyMeansNoCluster() {
        ClusterDirectory cluster = new ClusterDirectory(data);

        assertThat(cluster.readKey()).isEmpty();
        assertThat(cluster.token()).isEmpty();
        assertThat(cluster.transportSettings()).isEmpty();
    }

    @Test
    void theKeyIsOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        ClusterDirectory cluster = new ClusterDirectory(data);

        String key = cluster.makeKey();

        assertThat(Base64.getDecoder().decode(key)).hasSize(32);
        assertThat(cluster.readKey()).contains(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cluster.keyFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cluster.keyFile().getParent())))
                .isEqualTo("rwx------");
        assertThat(new ClusterDirectory(data).makeKey()).isNotEqualTo(key);
    }

    @Test
    void theTransportListensWhereToldAndAsksItselfAndItsSeeds() {
        ClusterDirectory cluster = new ClusterDirectory(data);
        cluster.remember("127.0.0.1:7901", Map.of("zone", "a"));
        cluster.writeSettings(cluster.settings().withSeeds(List.of("127.0.0.1:7900")));
        cluster.makeKey();

        Map<String, String> settings = cluster.transportSettings().orElseThrow();

        assertThat(settings).containsEntry("bind-address", "127.0.0.1").containsEntry("port", "7901")
                .containsEntry("initial-members", "127.0.0.1[7901],127.0.0.1[7900]")
                .containsEntry("cluster-key-file", cluster.keyFile().toString())
                .containsEntry("raft-directory", data.resolve("cluster/raft").toString());
        assertThat(cluster.token().orElseThrow().seeds()).containsExactly("127.0.0.1:7901", "127.0.0.1:7900");
        ClusterSettings kept = new ClusterDirectory(data).settings();
        assertThat(kept.labels()).containsExactly(Map.entry("zone", "a"));
        assertThat(kept.listen()).isEqualTo("127.0.0.1:7901");
    }

    @Test
    void rescheduleAfterIsKeptAndTellsTheTransportWhenAHostIsLost() {
        ClusterDirectory cluster = new ClusterDirectory(data);
        cluster.makeKey();
        assertThat(cluster.transportSettings().orElseThrow()).doesNotContainKey("lost-after-ms");

        cluster.rememberRescheduleAfter("5s");
        cluster.rememberRescheduleAfter(null);

        assertThat(new ClusterDirectory(data).settings().rescheduleAfter()).isEqualTo("5s");
        assertThat(cluster.transportSettings().orElseThrow()).containsEntry("lost-after-ms", "5000");
        for (String bad : List.of("5 seconds", "500ms", "0s")) {
            assertThatThrownBy(() -> cluster.rememberRescheduleAfter(bad))
                    .isInstanceOfSatisfying(SpewException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                        assertThat(e.getMessage()).contains("--reschedule-after");
                    });
        }
        assertThat(new ClusterDirectory(data).settings().rescheduleAfter()).isEqualTo("5s");
    }

    @Test
    void rememberKeepsWhatIsNotGivenAgain() {
        ClusterDirectory cluster = new ClusterDirectory(data);
        cluster.remember("127.0.0.1:7901", Map.of("zone", "a"));

        ClusterSettings settings = cluster.remember(null, Map.of());

        assertThat(settings.listen()).isEqualTo("127.0.0.1:7901");
        assertThat(settings.labels()).containsEntry("zone", "a");
    }

    @Test
    void badInputFailsNamingIt() {
        ClusterDirectory cluster = new ClusterDirectory(data);
        assertThatThrownBy(() -> cluster.remember("nowhere", null))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("--cluster-listen", "nowhere");
                });
        assertThatThrownBy(() -> ClusterDirectory.parseLabels(List.of("novalue")))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.getMessage()).contains("novalue"));
        assertThat(ClusterDirectory.parseLabels(List.of("zone=a", "disk=ssd")))
                .containsExactly(Map.entry("disk", "ssd"), Map.entry("zone", "a"));
    }
}
