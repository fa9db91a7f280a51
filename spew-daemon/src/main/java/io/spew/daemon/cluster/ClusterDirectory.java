package io.spew.daemon.cluster;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.host.HostFacts;
import io.spew.impl.state.AtomicFiles;
import io.spew.impl.state.DataDirectory;
import io.spew.impl.state.StateFiles;
import io.spew.impl.state.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code cluster/} directory of a data directory (mode 0700): the cluster key ({@code key}, base64,
 * mode 0600) and {@link ClusterSettings} ({@code cluster.json}), both written crash-safely. A daemon whose
 * data directory holds a key runs the {@code jgroups} transport; without one it runs alone.
 */
public final class ClusterDirectory {
    private static final int KEY_BYTES = 32;
    private static final int MINIMUM_KEY_BYTES = 16;

    private final DataDirectory data;

    public ClusterDirectory(Path dataDirectory) {
        this.data = new DataDirectory(requireNonNull(dataDirectory, "dataDirectory is null"));
    }

    public Path keyFile() {
        return data.cluster().resolve("key");
    }

    public Path settingsFile() {
        return data.cluster().resolve("cluster.json");
    }

    /** The cluster key (base64), if this host is in a cluster. */
    public Optional<String> readKey() {
        try {
            if (!Files.exists(keyFile())) {
                return Optional.empty();
            }
            String key = Files.readString(keyFile(), US_ASCII).strip();
            requireKey(key, keyFile().toString());
            return Optional.of(key);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read the cluster key " + keyFile() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Makes a new random 256-bit cluster key and keeps it. */
    public String makeKey() {
        byte[] secret = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(secret);
        String key = Base64.getEncoder().encodeToString(secret);
        writeKey(key);
        return key;
    }

    public void writeKey(String key) {
        requireKey(key, "the cluster key");
        AtomicFiles.write(create().keyFile(), (key + "\n").getBytes(US_ASCII));
    }

    /** Forgets the key: the daemon runs alone from its next start. */
    public void deleteKey() {
        try {
            Files.deleteIfExists(keyFile());
            AtomicFiles.syncDirectory(data.cluster());
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot delete " + keyFile() + ": " + e.getMessage(), e);
        }
    }

    /** Forgets this host's copy of the cluster's desired state (its Raft log): a cluster joined later starts anew. */
    public void deleteRaftLog() {
        Path raft = raftDirectory();
        try {
            Trees.delete(raft);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot delete " + raft + ": " + e.getMessage(), e);
        }
    }

    public ClusterSettings settings() {
        return Files.exists(settingsFile()) ? StateFiles.read(settingsFile(), ClusterSettings.class)
                : ClusterSettings.none();
    }

    public void writeSettings(ClusterSettings settings) {
        StateFiles.write(create().settingsFile(), settings);
    }

    /** Keeps what the daemon was started with: a null listen or no labels keep what was kept before. */
    public ClusterSettings remember(String listen, Map<String, String> labels) {
        ClusterSettings settings = settings();
        ClusterSettings updated = settings;
        if (listen != null) {
            updated = updated.withListen(ClusterAddress.parse(listen, "--cluster-listen").toString());
        }
        if (labels != null && !labels.isEmpty()) {
            updated = updated.withLabels(labels);
        }
        if (!updated.equals(settings)) {
            writeSettings(updated);
        }
        return updated;
    }

    /** Keeps {@code --reschedule-after} (checked first, INVALID_ARGUMENT if bad); null keeps what was kept. */
    public ClusterSettings rememberRescheduleAfter(String rescheduleAfter) {
        ClusterSettings settings = settings();
        if (rescheduleAfter == null || rescheduleAfter.strip().equals(settings.rescheduleAfter())) {
            return settings;
        }
        ClusterSettings updated = settings.withRescheduleAfter(rescheduleAfter.strip());
        writeSettings(updated);
        return updated;
    }

    /** Where this host listens for the cluster: as kept, else its own address on the default port. */
    public ClusterAddress listen() {
        String listen = settings().listen();
        if (listen != null) {
            return ClusterAddress.parse(listen, "cluster listen address in " + settingsFile());
        }
        return new ClusterAddress(HostFacts.read(data).ip(), ClusterAddress.DEFAULT_PORT);
    }

    /** The join token of this cluster: the key, this host's cluster address first, then its seeds. */
    public Optional<JoinToken> token() {
        return readKey().map(key -> {
            Set<String> seeds = new LinkedHashSet<>();
            seeds.add(listen().toString());
            seeds.addAll(settings().seeds());
            return new JoinToken(key, new ArrayList<>(seeds));
        });
    }

    /**
     * The settings of the {@code jgroups} transport for this host, if it is in a cluster: it listens on
     * {@link #listen()} and asks itself and its seeds; the key is read from {@link #keyFile()}; a host silent for
     * the kept {@code --reschedule-after} is lost ({@code lost-after-ms}).
     */
    public Optional<Map<String, String>> transportSettings() {
        if (readKey().isEmpty()) {
            return Optional.empty();
        }
        ClusterAddress listen = listen();
        ClusterSettings kept = settings();
        Set<String> members = new LinkedHashSet<>();
        members.add(listen.jgroupsForm());
        for (String seed : kept.seeds()) {
            members.add(ClusterAddress.parse(seed, "seed").jgroupsForm());
        }
        Map<String, String> settings = new TreeMap<>();
        settings.put("bind-address", listen.host());
        settings.put("port", Integer.toString(listen.port()));
        settings.put("initial-members", String.join(",", members));
        settings.put("cluster-key-file", keyFile().toString());
        settings.put("raft-directory", raftDirectory().toString());
        if (kept.rescheduleAfter() != null) {
            long millis = ClusterSettings.parseRescheduleAfter(kept.rescheduleAfter()).toMillis();
            settings.put("lost-after-ms", Long.toString(millis));
        }
        return Optional.of(settings);
    }

    private Path raftDirectory() {
        return data.cluster().resolve("raft");
    }

    /** Fails with INVALID_KEY (exit 2) unless {@code key} is base64 of at least 16 bytes. */
    static void requireKey(String key, String where) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(key.strip());
        } catch (IllegalArgumentException e) {
            throw new SpewException(ErrorCode.INVALID_KEY, "the cluster key in " + where + " is not base64"
                    + " (make a new cluster with 'spew cluster init' or join one with 'spew cluster join TOKEN')");
        }
        if (bytes.length < MINIMUM_KEY_BYTES) {
            throw new SpewException(ErrorCode.INVALID_KEY, "the cluster key in " + where + " has " + bytes.length
                    + " bytes, at least " + MINIMUM_KEY_BYTES + " are needed (make one with 'spew cluster init')");
        }
    }

    private ClusterDirectory create() {
        data.create();
        return this;
    }

    /** Labels as {@code K=V} texts; a malformed one fails naming it (exit 2). */
    public static Map<String, String> parseLabels(List<String> labels) {
        Map<String, String> parsed = new TreeMap<>();
        for (String label : labels == null ? List.<String>of() : labels) {
            int equals = label.indexOf('=');
            if (equals < 1 || !label.substring(0, equals).matches("[A-Za-z0-9._/-]{1,63}")) {
                throw new SpewException(ErrorCode.INVALID_ARGUMENT, "label '" + label
                        + "' is not KEY=VALUE (a key of letters, digits, '.', '_', '/' or '-'), e.g. --label zone=a");
            }
            parsed.put(label.substring(0, equals), label.substring(equals + 1));
        }
        return parsed;
    }
}
