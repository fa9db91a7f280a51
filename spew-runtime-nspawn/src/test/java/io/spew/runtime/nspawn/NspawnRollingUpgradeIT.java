package io.spew.runtime.nspawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.Spew;
import io.spew.build.BuildCreate;
import io.spew.build.BuildImport;
import io.spew.build.CreatedBuild;
import io.spew.build.ImportProgress;
import io.spew.environment.EnvironmentFiles;
import io.spew.environment.StartOptions;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.LogStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A roll of nspawn instances to a new build: the new build becomes the lower layer, and with
 * {@code update.keep_data} the writable layer of each instance goes on to the one that replaces it.
 */
class NspawnRollingUpgradeIT {
    @TempDir
    Path directory;

    @BeforeAll
    static void requireNspawn() {
        NspawnHost.requireNspawn();
    }

    private static String script(String version) {
        return "mkdir -p /data\necho " + version + " >> /data/versions\necho \"build " + version
                + " saw $(cat /data/versions | tr '\\n' ' ')\"\nexec sleep 1000";
    }

    private static String environment(String build, boolean keepData) {
        return """
                appliances:
                  box:
                    runtime: nspawn
                    build: "%s"
                    stop: { timeout: 5s }
                    update: { max_parallel: 1, keep_data: %s }
                instances: { box: 2 }
                """.formatted(build, keepData);
    }

    @Test
    void theNewBuildIsTheLowerLayerAndTheWritableLayerIsKeptOrFresh() throws Exception {
        Path data = directory.resolve("data");
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            for (String version : new String[] {"1", "2", "3"}) {
                Path rootfs = BusyboxRoot.make(directory.resolve("rootfs-" + version), script(version));
                CreatedBuild created = spew.builds().create(new BuildCreate(rootfs, "busybox", version,
                        directory.resolve("busybox-" + version + ".tar.zst"), null, false));
                spew.builds().importBuild(new BuildImport(created.archive(), created.signature(), false, null, null,
                        null), ImportProgress.NONE);
            }
            Path file = directory.resolve("spew.yaml");
            try {
                start(spew, file, environment("busybox@1", true));
                assertThat(awaitLog(spew, "box-1", "build 1 saw")).contains("build 1 saw 1 ");

                start(spew, file, environment("busybox@2", true));
                for (String name : new String[] {"box-1", "box-2"}) {
                    assertThat(spew.instances().get(name).spec().build()).isEqualTo(spew.builds().get("busybox@2")
                            .id().toString());
                    assertThat(awaitLog(spew, name, "build 2 saw")).as("the data of build 1 kept")
                            .contains("build 2 saw 1 2 ");
                }
                assertThat(data.resolve("rolls").resolve("kept")).isEmptyDirectory();

                start(spew, file, environment("busybox@1", false));
                assertThat(awaitLog(spew, "box-2", "build 1 saw")).as("started fresh").contains("build 1 saw 1 ")
                        .doesNotContain("1 2");

                assertThatThrownBy(() -> spew.builds().remove("busybox@2")).as("a rollback may need it")
                        .hasMessageContaining("is used by version 2 of appliance box");
                assertThat(spew.builds().prune()).extracting(build -> build.version()).containsExactly("3");
                assertThat(spew.builds().list()).hasSize(2);
            } finally {
                for (Instance instance : spew.instances().list()) {
                    if (instance.state().isActive()) {
                        spew.instances().stop(instance.name());
                    }
                }
            }
        }
    }

    private static void start(Spew spew, Path file, String content) throws Exception {
        Files.writeString(file, content);
        spew.environments().start(EnvironmentFiles.of(file.toString(), content), null, StartOptions.defaults());
    }

    private static String awaitLog(Spew spew, String name, String text) throws Exception {
        Path log = spew.instances().log(name, LogStream.STDOUT);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String content = "";
        while (System.nanoTime() < deadline) {
            content = Files.exists(log) ? Files.readString(log) : "";
            if (content.contains(text)) {
                return content;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(name + " did not say '" + text + "': " + content
                + Files.readString(spew.instances().log(name, LogStream.STDERR)));
    }
}
