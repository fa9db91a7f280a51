package io.spew.impl.state;

import io.spew.Spew;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.RunRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Changes state through the engine step by step, printing {@code ack N} once step N has returned:
 * run by {@link StateFailpointsIT} in a JVM of its own, with a failpoint armed. {@link #EXPECTED}
 * holds what an engine started afterwards must show once step N was acknowledged.
 */
public final class StateChanges {
    /** What a new engine shows after step N (index N), as {@link #snapshot} prints it. */
    static final List<String> EXPECTED = List.of(
            "appliances=[] instances=[]",
            "appliances=[web:1] instances=[]",
            "appliances=[web:2] instances=[]",
            "appliances=[web:2] instances=[web-1:created]",
            "appliances=[web:2] instances=[web-1:running]",
            "appliances=[db:1, web:2] instances=[web-1:running]",
            "appliances=[db:1, web:2] instances=[web-1:stopped]");
    /** The steps that write more than one state file (stop: stopping, then stopped). */
    static final List<Integer> SEVERAL_WRITES = List.of(6);

    private StateChanges() {}

    public static void main(String[] args) {
        try (Spew spew = SpewEngine.builder().dataDirectory(Path.of(args[0])).start()) {
            ack(0);
            spew.appliances().apply("web.yaml", appliance("web", 1));
            ack(1);
            spew.appliances().apply("web.yaml", appliance("web", 2));
            ack(2);
            spew.instances().create(RunRequest.of("web"));
            ack(3);
            spew.instances().start("web-1");
            ack(4);
            spew.appliances().apply("db.yaml", appliance("db", 1));
            ack(5);
            spew.instances().stop("web-1");
            ack(6);
        }
        System.out.println("done");
        System.out.flush();
    }

    private static String appliance(String name, int version) {
        return "name: " + name + "\nruntime: void\nenv: { VERSION: \"" + version + "\" }\n";
    }

    private static void ack(int step) {
        System.out.println("ack " + step);
        System.out.flush();
    }

    /** The state an engine shows, once no instance is stopping any more (a stop it recovered ends soon). */
    static String snapshot(Spew spew) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (spew.instances().list().stream().anyMatch(i -> i.state() == InstanceState.STOPPING)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        String appliances = spew.appliances().list().stream()
                .map(appliance -> appliance.name() + ":" + appliance.env().get("VERSION"))
                .sorted().collect(Collectors.joining(", ", "[", "]"));
        String instances = spew.instances().list().stream()
                .map(instance -> instance.name() + ":" + state(instance))
                .sorted().collect(Collectors.joining(", ", "[", "]"));
        return "appliances=" + appliances + " instances=" + instances;
    }

    private static String state(Instance instance) {
        return instance.state().name().toLowerCase(java.util.Locale.ROOT);
    }
}
