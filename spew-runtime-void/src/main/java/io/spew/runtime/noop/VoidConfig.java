package io.spew.runtime.noop;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of a void instance: {@code mode: observe} with the {@code pid} to observe,
 * {@code mode: adopt} with the {@code pid} to take over (restarted with the appliance's command once
 * it has ended), or {@code mode: static} (the default without a pid) for an instance that only holds
 * config.
 */
record VoidConfig(Mode mode, long pid) {
    enum Mode { OBSERVE, ADOPT, STATIC }

    private static final Set<String> KEYS = Set.of("mode", "pid");

    static VoidConfig parse(Map<String, String> config) {
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw invalid("unknown key(s) " + unknown + " (known: mode, pid)");
        }
        String pidText = config.get("pid");
        Mode mode = parseMode(config.getOrDefault("mode", pidText == null ? "static" : "observe"));
        if (mode == Mode.STATIC) {
            if (pidText != null) {
                throw invalid("mode static takes no pid");
            }
            return new VoidConfig(mode, 0);
        }
        if (pidText == null) {
            throw invalid("mode " + mode.name().toLowerCase(Locale.ROOT) + " needs the pid to "
                    + mode.name().toLowerCase(Locale.ROOT) + ": config: { mode: "
                    + mode.name().toLowerCase(Locale.ROOT) + ", pid: 1234 }");
        }
        try {
            long pid = Long.parseLong(pidText.trim());
            if (pid <= 0) {
                throw invalid("pid must be positive, got " + pidText);
            }
            return new VoidConfig(mode, pid);
        } catch (NumberFormatException e) {
            throw invalid("pid is not a number: '" + pidText + "'");
        }
    }

    /** Checks that the mode has the command it needs: adopt restarts the process with it. */
    void checkCommand(List<String> command) {
        if (mode == Mode.ADOPT && command.isEmpty()) {
            throw invalid("mode adopt needs a command to run when the adopted process " + pid
                    + " has ended: give the appliance a 'command'");
        }
    }

    private static Mode parseMode(String text) {
        try {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("unknown mode '" + text + "' (known: observe, adopt, static)");
        }
    }

    private static SpewException invalid(String what) {
        return new SpewException(ErrorCode.INVALID_APPLIANCE, "runtime void: " + what);
    }
}
