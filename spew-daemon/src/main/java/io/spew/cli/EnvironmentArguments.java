package io.spew.cli;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.daemon.api.EnvironmentRequest;
import io.spew.environment.EnvironmentFiles;
import io.spew.impl.environment.EnvironmentFileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Tells {@code spew start|stop FILE} from {@code spew start|stop INSTANCE...}: the arguments name an
 * environment file when there are none ({@code spew.yaml} of the working directory), when
 * {@code --env} is given, or when the one argument ends in {@code .yaml}/{@code .yml} or is a file.
 */
final class EnvironmentArguments {
    static final String DEFAULT_FILE = "spew.yaml";

    private EnvironmentArguments() {}

    /** The environment file the arguments name, or empty when they name instances. */
    static Optional<Path> file(List<String> arguments, String environment) {
        if (arguments == null || arguments.isEmpty()) {
            Path file = Path.of(DEFAULT_FILE).toAbsolutePath();
            if (!Files.exists(file)) {
                throw new SpewException(ErrorCode.NOT_FOUND, "no " + DEFAULT_FILE + " in " + file.getParent()
                        + ": name an environment file or instances");
            }
            return Optional.of(file);
        }
        String first = arguments.get(0);
        boolean looksLikeFile = first.endsWith(".yaml") || first.endsWith(".yml") || Files.isRegularFile(Path.of(first));
        if (environment != null || (arguments.size() == 1 && looksLikeFile)) {
            if (arguments.size() > 1) {
                throw new SpewException(ErrorCode.INVALID_ARGUMENT, "give one environment file, not "
                        + String.join(" ", arguments));
            }
            return Optional.of(Path.of(first).toAbsolutePath());
        }
        return Optional.empty();
    }

    /** Reads the file and what it includes into a request. */
    static EnvironmentRequest request(Path file, String environment, Duration timeout, boolean waitHealthy, boolean remove) {
        EnvironmentFiles files = EnvironmentFileLoader.load(file);
        return new EnvironmentRequest(files, environment, timeout, waitHealthy, remove);
    }
}
