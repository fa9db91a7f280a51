package io.spew.daemon.client;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.daemon.DaemonDirectory;
import io.spew.daemon.api.DaemonInfo;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Finds the daemon of a data directory from its {@code daemon/address} and {@code daemon/token}
 * files, and starts one in the background when none answers.
 */
public final class DaemonConnector {
    private final DaemonDirectory directory;
    private final HttpClient http = ApiTransport.newHttpClient();

    public DaemonConnector(Path dataDirectory) {
        this.directory = new DaemonDirectory(requireNonNull(dataDirectory, "dataDirectory is null"));
    }

    public DaemonDirectory directory() {
        return directory;
    }

    /**
     * The daemon serving this data directory, if one answers: there is an address file, something
     * answers there with this token, and it reports this data directory.
     */
    public Optional<RunningDaemon> find() {
        Optional<String> address = directory.readAddress();
        Optional<String> token = directory.readToken();
        if (address.isEmpty() || token.isEmpty()) {
            return Optional.empty();
        }
        DaemonClient client = new DaemonClient(new ApiTransport(http, address.get(), token.get()));
        DaemonInfo info;
        try {
            info = client.info();
        } catch (SpewException e) {
            if (e.code() == ErrorCode.DAEMON_UNAVAILABLE || e.code() == ErrorCode.UNAUTHORIZED) {
                return Optional.empty();
            }
            throw e;
        }
        if (!isSameDirectory(Paths.get(info.dataDir()), directory.dataDirectory())) {
            return Optional.empty();
        }
        return Optional.of(new RunningDaemon(client, info));
    }

    /** The daemon of this data directory, started in the background first if none answers. */
    public DaemonClient connect() {
        return find().map(RunningDaemon::client).orElseGet(() -> start(null).client());
    }

    /** Starts a daemon in the background and returns once it answers; see {@link DaemonLauncher}. */
    public RunningDaemon start(String listen) {
        return new DaemonLauncher(this).launch(listen);
    }

    private static boolean isSameDirectory(Path reported, Path ours) {
        if (reported.equals(ours)) {
            return true;
        }
        try {
            return Files.isSameFile(reported, ours);
        } catch (IOException e) {
            return false;
        }
    }
}
