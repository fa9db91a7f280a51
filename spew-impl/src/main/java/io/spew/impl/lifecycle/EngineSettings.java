package io.spew.impl.lifecycle;

import io.spew.impl.logs.LogSettings;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The settings of an engine beyond its data directory.
 *
 * @param labels this host's labels
 * @param clusterTransport the cluster transport to use, or null to choose by priority and probe
 * @param clusterConfig the transport's settings
 * @param logs how instance output is kept
 * @param networkConfig the instance network's settings ({@link io.spew.impl.network.SettingsHostSlice})
 */
public record EngineSettings(Map<String, String> labels, String clusterTransport, Map<String, String> clusterConfig,
        LogSettings logs, Map<String, String> networkConfig) {
    public EngineSettings {
        labels = new TreeMap<>(labels);
        clusterConfig = new TreeMap<>(clusterConfig);
        Objects.requireNonNull(logs, "logs is null");
        networkConfig = new TreeMap<>(networkConfig);
    }

    /** Settings with the default {@link LogSettings} and the instance network's defaults. */
    public EngineSettings(Map<String, String> labels, String clusterTransport, Map<String, String> clusterConfig) {
        this(labels, clusterTransport, clusterConfig, LogSettings.DEFAULT, Map.of());
    }
}
