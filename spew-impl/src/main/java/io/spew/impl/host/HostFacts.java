package io.spew.impl.host;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.state.AtomicFiles;
import io.spew.impl.state.DataDirectory;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.UUID;

/**
 * What this host is: a stable id kept in the data directory ({@code cluster/host-id}), its name,
 * its first non-loopback IPv4 address, cores and memory.
 */
public record HostFacts(String id, String name, String ip, int cores, long memoryBytes) {

    public static HostFacts read(DataDirectory directory) {
        return new HostFacts(hostId(directory.cluster().resolve("host-id")), readHostName(), readIp(),
                Runtime.getRuntime().availableProcessors(), readMemoryBytes());
    }

    private static String hostId(Path file) {
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            String id = UUID.randomUUID().toString();
            AtomicFiles.write(file, (id + "\n").getBytes(StandardCharsets.US_ASCII));
            return id;
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read host id " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readHostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException ignored) {
            // fall back to the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String readIp() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException ignored) {
            // no interfaces to read: loopback it is
        }
        return "127.0.0.1";
    }

    private static long readMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // unknown
        }
        return 0;
    }
}
