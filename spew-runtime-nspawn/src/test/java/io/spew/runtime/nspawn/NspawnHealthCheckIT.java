package io.spew.runtime.nspawn;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.Spew;
import io.spew.build.BuildCreate;
import io.spew.build.BuildImport;
import io.spew.build.CreatedBuild;
import io.spew.build.ImportProgress;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.RunRequest;
import io.spew.service.HealthCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exec health check of an nspawn instance runs inside the container: it sees the container's
 * files (the build's {@code /etc/os-release}, a file only the instance writes), not the host's.
 */
class NspawnHealthCheckIT {
    /** Ready for 3 s, then not. */
    private static final String SCRIPT = "touch /inside-only\necho ready\nsleep 3\nrm /inside-only\nexec sleep 1000";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    @BeforeAll
    static void requireNspawn() {
        NspawnHost.requireNspawn();
    }

    @Test
    void anExecCheckRunsInsideTheContainer() throws Exception {
        Path rootfs = BusyboxRoot.make(directory.resolve("rootfs"), SCRIPT);
        try (Spew spew = SpewEngine.builder().dataDirectory(directory.resolve("data")).start()) {
            CreatedBuild created = spew.builds().create(new BuildCreate(rootfs, "busybox", "1",
                    directory.resolve("busybox-1.tar.zst"), null, false));
            spew.builds().importBuild(new BuildImport(created.archive(), created.signature(), false, null, null, null),
                    ImportProgress.NONE);
            spew.appliances().apply("box.yaml", """
                    name: box
                    runtime: nspawn
                    build: busybox@1
                    stop: { timeout: 5s }
                    services:
                      - name: box
                        port: "1"
                        check: { exec: "grep -q ID=busybox /etc/os-release && test -f /inside-only", interval: 200ms,
                                 timeout: 2s, retries: 2 }
                    """);
            spew.instances().run(RunRequest.of("box"));
            await(spew, i -> i.health().equals(HealthCheck.HEALTHY));
            Instance unhealthy = await(spew, i -> i.health().equals(HealthCheck.UNHEALTHY));
            assertThat(unhealthy.message()).contains("check exec /bin/sh -c grep -q ID=busybox").contains("ended with");
            spew.instances().stop("box-1");
            spew.instances().remove("box-1");
        }
    }

    private static Instance await(Spew spew, Predicate<Instance> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Instance instance = spew.instances().get("box-1");
        while (!condition.test(instance)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT.toSeconds() + " s in vain: " + instance);
            }
            Thread.sleep(20);
            instance = spew.instances().get("box-1");
        }
        return instance;
    }
}
