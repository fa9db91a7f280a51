package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.daemon.client.DaemonClient;
import io.spew.instance.Instance;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * {@code spew demo}: no questions, embedded defaults. Applies the {@code hello} appliance shipped
 * in this jar, runs three instances of it (reusing those already there), and, where the nspawn
 * runtime can run, a container from a signed busybox build made on the spot ({@link DemoContainer});
 * shows them and what they said, stops one, and says what to try next.
 */
@Command(name = "demo",
        description = "Shows Spew at work: three instances of a hello appliance, their output, a stop.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew demo",
            "  spew --data-dir /tmp/spew-demo demo   apart from your own instances",
        })
final class DemoCommand extends ClientCommand {
    private static final String APPLIANCE = "/io/spew/demo/hello.yaml";
    private static final int INSTANCES = 3;
    private static final long LISTEN_MILLIS = 2200;

    /** The container instance, once running. */
    private String container;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = out();
        boolean running = root().connector().find().isPresent();
        if (!running) {
            out.println("Starting the daemon in the background (its log: "
                    + root().connector().directory().logFile() + ")");
            out.flush();
        }
        DaemonClient client = client();
        out.println("Spew demo: data dir " + root().dataDirectory() + ", daemon at " + client.address());
        Appliance appliance = step(1, "Applying the appliance 'hello', which greets every 2 seconds",
                () -> client.apply("spew demo (hello.yaml)", resource(APPLIANCE)));
        out.println("    runtime  " + appliance.runtime());
        out.println("    command  " + String.join(" ", appliance.command()));
        step(2, "Running " + INSTANCES + " instances of it", () -> runInstances(client));
        String withoutContainer = DemoContainer.unavailable();
        if (withoutContainer == null) {
            container = step(3, "Running " + DemoContainer.INSTANCE + " in a container (runtime nspawn) from a signed"
                    + " build of busybox-static, made with 'spew build create'", () -> runContainer(client));
        } else {
            out.println();
            out.println("3. No container this time: runtime nspawn cannot run here (" + withoutContainer + ")");
        }
        step(4, "What runs now (spew ps)", () -> {
            InstanceTable.print(out, client.instances().stream().filter(InstanceTable::isShownByDefault)
                    .collect(Collectors.toList()), "    ");
            return null;
        });
        Thread.sleep(LISTEN_MILLIS);
        step(5, "What they said (spew logs NAME --tail 2)", () -> printLogs(client));
        String stopped = name(INSTANCES);
        step(6, "Stopping " + stopped + " (spew stop " + stopped + "), then every instance (spew ps --all)", () -> {
            client.stop(stopped);
            InstanceTable.print(out, client.instances(), "    ");
            return null;
        });
        printNextSteps(out);
        out.println();
        out.println("Open the web panel (this URL logs you in once; 'spew panel' prints another):");
        out.println("    " + client.panelLogin().url());
        out.flush();
        return 0;
    }

    private <T> T step(int number, String title, java.util.function.Supplier<T> action) {
        out().println();
        out().println(number + ". " + title);
        out().flush();
        T result = action.get();
        out().flush();
        return result;
    }

    private String runContainer(DaemonClient client) {
        DemoContainer.prepare(client, out());
        Outcome outcome = runOrReuse(client, DemoContainer.APPLIANCE, DemoContainer.INSTANCE);
        out().println(String.format("    %-11s %-16s pid %s (systemd-nspawn)", outcome.instance().name(), outcome.what(),
                outcome.instance().pid()));
        return outcome.instance().name();
    }

    private Void runInstances(DaemonClient client) {
        for (int index = 1; index <= INSTANCES; index++) {
            Outcome outcome = runOrReuse(client, "hello", name(index));
            out().println(String.format("    %-8s %-16s pid %s", outcome.instance().name(), outcome.what(),
                    outcome.instance().pid()));
            out().flush();
        }
        return null;
    }

    /** What became of one of the demo's instances. */
    private record Outcome(Instance instance, String what) {}

    /** The instance of that name, started if it is not running, run if it does not exist. */
    private static Outcome runOrReuse(DaemonClient client, String appliance, String name) {
        Instance existing;
        try {
            existing = client.instance(name);
        } catch (SpewException e) {
            if (e.code() != ErrorCode.INSTANCE_NOT_FOUND) {
                throw e;
            }
            return new Outcome(client.run(RunRequest.of(appliance).withName(name)), "started");
        }
        if (InstanceTable.isShownByDefault(existing.state())) {
            return new Outcome(existing, "already " + existing.state());
        }
        return new Outcome(client.start(name), "started again");
    }

    private Void printLogs(DaemonClient client) {
        List<String> names = new ArrayList<>();
        for (int index = 1; index <= INSTANCES; index++) {
            names.add(name(index));
        }
        if (container != null) {
            names.add(container);
        }
        for (String name : names) {
            try (InputStream in = client.logs(name, LogStream.STDOUT, false, 2)) {
                for (String line : new String(in.readAllBytes(), UTF_8).lines().collect(Collectors.toList())) {
                    out().println(String.format("    %-11s | %s", name, line));
                }
            } catch (IOException e) {
                throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "lost the daemon while reading logs of " + name);
            }
        }
        return null;
    }

    private static void printNextSteps(PrintWriter out) {
        List<String[]> next = new ArrayList<>();
        next.add(new String[] {"./spew ps", "what runs now"});
        next.add(new String[] {"./spew logs hello-1 -f", "follow one instance (Ctrl-C leaves it running)"});
        next.add(new String[] {"./spew stop hello-2", "stop another one"});
        next.add(new String[] {"./spew logs " + DemoContainer.INSTANCE, "what the container said (where it runs)"});
        next.add(new String[] {"./spew demo", "again: stopped instances start again"});
        next.add(new String[] {"./spew daemon stop --stop-instances", "stop them all, and the daemon"});
        out.println();
        out.println("Try next:");
        for (String[] line : next) {
            out.println(String.format("    %-38s %s", line[0], line[1]));
        }
        out.flush();
    }

    private static String name(int index) {
        return "hello-" + index;
    }

    private static String resource(String path) {
        try (InputStream in = DemoCommand.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new SpewException(ErrorCode.INTERNAL, "the demo appliance " + path + " is missing from the jar");
            }
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.INTERNAL, "cannot read the demo appliance " + path + ": " + e.getMessage());
        }
    }
}
