package io.spew.impl.network;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.lifecycle.EngineSettings;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The other hosts' slices from engine network setting {@value #SETTING}:
 * {@code SLICE=HOST,...} ({@code 10.77.1.0/24=192.0.2.3,10.77.2.0/24=192.0.2.4}); none by default.
 */
@Singleton
public final class SettingsPeerSlices implements PeerSlices {
    static final String SETTING = "peer-slices";

    private final List<PeerSlice> peers;

    @Inject
    public SettingsPeerSlices(EngineSettings settings) {
        this(requireNonNull(settings, "settings is null").networkConfig().get(SETTING));
    }

    public SettingsPeerSlices(String setting) {
        List<PeerSlice> parsed = new ArrayList<>();
        if (setting != null && !setting.isBlank()) {
            for (String item : setting.split(",")) {
                String[] parts = item.trim().split("=", -1);
                try {
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("not SLICE=HOST");
                    }
                    parsed.add(new PeerSlice(Ipv4Subnet.parse(parts[0].trim(), SETTING), parts[1].trim()));
                } catch (IllegalArgumentException | SpewException e) {
                    throw new SpewException(ErrorCode.INVALID_ARGUMENT, "network setting " + SETTING
                            + " takes SLICE=HOST,... (10.77.1.0/24=192.0.2.3), not '" + item.trim() + "': "
                            + e.getMessage());
                }
            }
        }
        this.peers = List.copyOf(parsed);
    }

    @Override
    public List<PeerSlice> peers() {
        return peers;
    }
}
