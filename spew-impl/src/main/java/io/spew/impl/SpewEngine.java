package io.spew.impl;

import io.spew.Spew;
import io.spew.impl.lifecycle.EngineServices;
import io.spew.impl.lifecycle.EngineSettings;
import io.spew.impl.logs.LogSettings;
import io.spew.impl.state.DataDirectory;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Starts Spew as a library:
 *
 * <pre>{@code
 * try (Spew spew = SpewEngine.builder().dataDirectory(dir).start()) {
 *     spew.appliances().apply(Path.of("web.yaml"));
 *     spew.instances().run(RunRequest.of("web"));
 * }
 * }</pre>
 *
 * One engine (or daemon) per data directory: a second one refuses to start, naming the process
 * that holds it.
 */
public final class SpewEngine {
    private SpewEngine() {}

    public static Builder builder() {
        return new Builder();
    }

    /** {@code $SPEW_DATA_DIR}, else {@code /var/lib/spew} for root, else {@code $XDG_DATA_HOME/spew}. */
    public static Path defaultDataDirectory() {
        String configured = System.getenv("SPEW_DATA_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/spew");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("spew");
    }

    /** Settings of an engine; only the data directory is needed. */
    public static final class Builder {
        private Path dataDirectory;
        private final Map<String, String> labels = new TreeMap<>();
        private String clusterTransport;
        private final Map<String, String> clusterConfig = new TreeMap<>();
        private LogSettings logs = LogSettings.DEFAULT;
        private final Map<String, String> networkConfig = new TreeMap<>();

        private Builder() {}

        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        /** Chooses the cluster transport by name instead of by priority. */
        public Builder clusterTransport(String name) {
            this.clusterTransport = name;
            return this;
        }

        public Builder clusterSetting(String key, String value) {
            clusterConfig.put(key, value);
            return this;
        }

        /** How instance output is kept: rotated file size and count (default 10 files of 10 MiB per stream). */
        public Builder logs(LogSettings settings) {
            this.logs = java.util.Objects.requireNonNull(settings, "settings is null");
            return this;
        }

        /**
         * An instance network setting: {@code instance-subnet} (default 10.77.0.0/16), {@code slice-prefix}
         * (default 24), {@code slice} (this host's slice of the subnet, default 0), {@code dns-listen},
         * {@code peer-slices} (other hosts' slices routed through them: {@code SLICE=HOST,...}) or
         * {@code service-change-wait} (how long the service catalog must be quiet before the instances that
         * use it follow it, default 1s).
         */
        public Builder networkSetting(String key, String value) {
            networkConfig.put(key, value);
            return this;
        }

        /** Starts the engine; the data directory defaults to {@link #defaultDataDirectory()}. */
        public Spew start() {
            Path directory = dataDirectory != null ? dataDirectory : defaultDataDirectory();
            return EngineServices.start(new DataDirectory(directory),
                    new EngineSettings(labels, clusterTransport, clusterConfig, logs, networkConfig));
        }
    }
}
