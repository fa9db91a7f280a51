package io.spew.impl.os;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the program of a command the way {@code execvp} would, but in the {@code PATH} of the
 * process to start rather than the engine's, and before spawning, so a missing program gets a
 * clear message.
 */
final class ProgramLookup {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ProgramLookup() {}

    /**
     * The path to execute for {@code program}: itself when it holds a '/', else the first executable
     * regular file of that name in the {@code PATH} of {@code env}. Empty {@code PATH} entries (the
     * current directory) are skipped on purpose.
     */
    static String resolve(String program, Map<String, String> env) {
        if (program.isEmpty()) {
            throw new SpewException(ErrorCode.START_FAILED, "cannot start a command whose program is empty");
        }
        if (program.indexOf('/') >= 0) {
            return program;
        }
        String searchPath = env.getOrDefault("PATH", DEFAULT_PATH);
        for (String directory : searchPath.split(":")) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new SpewException(ErrorCode.START_FAILED,
                "command '" + program + "' not found in PATH " + searchPath);
    }
}
