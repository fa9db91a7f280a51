package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hosts on a LAN of their own for tests: a network namespace per host ({@code spewp-<random>-<index>}), each
 * with loopback up and an {@code eth0} on {@value #SUBNET}.0/24, plugged by a veth pair into a bridge in one more
 * namespace ({@code spewp-<random>-lan}). {@link #cut} and {@link #heal} take a host's cable out and put it back.
 * Nothing touches the host's own interfaces; {@link #close} kills what still runs in the namespaces and removes
 * them.
 */
final class NamespaceLan implements AutoCloseable {
    private static final String SUBNET = "10.251.77";
    private static final String BRIDGE = "br0";

    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();

    private NamespaceLan(String prefix) {
        this.prefix = prefix;
    }

    /** Makes the LAN and {@code hosts} namespaces on it; what was made is removed again if a step fails. */
    static NamespaceLan create(int hosts) {
        NamespaceLan lan = new NamespaceLan("spewp-" + Integer.toHexString(new SecureRandom().nextInt(1 << 24)));
        try {
            lan.namespace(lan.lan());
            run("ip", "-n", lan.lan(), "link", "add", BRIDGE, "type", "bridge");
            run("ip", "-n", lan.lan(), "link", "set", BRIDGE, "up");
            for (int i = 0; i < hosts; i++) {
                lan.plug(i);
            }
            return lan;
        } catch (RuntimeException | AssertionError e) {
            lan.close();
            throw e;
        }
    }

    /** The namespace of host {@code index}. */
    String namespace(int index) {
        return prefix + "-" + index;
    }

    /** The address of host {@code index} on the LAN. */
    String address(int index) {
        return SUBNET + "." + (index + 1);
    }

    /** Takes host {@code index}'s cable out: its link to the bridge goes down, nothing passes either way. */
    void cut(int index) {
        run("ip", "-n", lan(), "link", "set", port(index), "down");
    }

    /** Puts host {@code index}'s cable back. */
    void heal(int index) {
        run("ip", "-n", lan(), "link", "set", port(index), "up");
    }

    /** Kills (SIGKILL) every process left in the namespaces, then removes them; tries each whatever fails. */
    @Override
    public void close() {
        for (String namespace : namespaces) {
            for (String pid : output("ip", "netns", "pids", namespace).split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        for (String namespace : namespaces) {
            if (Files.exists(Path.of("/run/netns", namespace))) {
                output("ip", "netns", "delete", namespace);
            }
        }
    }

    private String lan() {
        return prefix + "-lan";
    }

    private static String port(int index) {
        return "h" + index;
    }

    private void plug(int index) {
        String namespace = namespace(index);
        namespace(namespace);
        run("ip", "-n", lan(), "link", "add", port(index), "type", "veth", "peer", "name", "eth0", "netns",
                namespace);
        run("ip", "-n", lan(), "link", "set", port(index), "master", BRIDGE, "up");
        run("ip", "-n", namespace, "addr", "add", address(index) + "/24", "dev", "eth0");
        run("ip", "-n", namespace, "link", "set", "eth0", "up");
    }

    private void namespace(String namespace) {
        run("ip", "netns", "add", namespace);
        namespaces.add(namespace);
        run("ip", "-n", namespace, "link", "set", "lo", "up");
    }

    private static void run(String... command) {
        Process process = start(command);
        String output = read(process);
        assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    }

    /** Runs a command and returns what it printed, whatever its exit code (for cleaning up). */
    private static String output(String... command) {
        Process process = start(command);
        return read(process);
    }

    private static Process start(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command), e);
        }
    }

    private static String read(Process process) {
        try {
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("did not end within 10 s: " + process.info().commandLine().orElse("?"));
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
