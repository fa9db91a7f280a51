package io.spew.impl.instance;

import io.spew.impl.state.CorruptFiles;
import io.spew.impl.state.CorruptStateException;
import io.spew.instance.Instance;
import io.spew.instance.InstanceId;
import io.spew.instance.InstanceSpec;
import io.spew.instance.InstanceState;
import io.spew.instance.StopPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What stands for an instance whose {@code instance.json} is corrupt: the file is set aside, and the
 * instance stays listed as {@code failed}, named as the file still tells (else
 * {@code unreadable-<id>}), with a message saying where its state went, until it is removed.
 */
final class UnreadableInstance {
    /** The first name in the file is the spec's (the instance's id comes before it, and has none). */
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([a-zA-Z0-9][a-zA-Z0-9_.-]{0,62})\"");
    private static final Pattern APPLIANCE = Pattern.compile("\"appliance\"\\s*:\\s*\"([^\"\\\\]{1,200})\"");
    /** No runtime has this name: starting the instance fails, it can only be removed. */
    static final String RUNTIME = "unreadable";

    private UnreadableInstance() {}

    /** Sets the corrupt file aside and returns the failed instance that takes its place. */
    static StoredInstance replacing(CorruptStateException corrupt, InstanceId id, String hostId) {
        String content = salvage(corrupt.file());
        String name = find(NAME, content, "unreadable-" + id.value());
        Path aside = CorruptFiles.setAside(corrupt, "Instance " + id + " is listed as " + name + ", failed, until"
                + " you remove it ('spew rm " + id + "'); its process, if it had one, is no longer supervised");
        InstanceSpec spec = new InstanceSpec(name, find(APPLIANCE, content, "unknown"), 1, RUNTIME, null, List.of(),
                Map.of(), null, StopPolicy.DEFAULT, Map.of());
        String message = "its state file was corrupt (" + corrupt.reason() + ") and was moved to " + aside
                + "; a process it ran is no longer supervised: check for it, then remove the instance with 'spew rm "
                + id + "'";
        Instant now = Instant.now();
        return new StoredInstance(new Instance(id, spec, hostId, InstanceState.FAILED, "none", null, 0, null, now, null,
                now, message), null);
    }

    private static String salvage(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String find(Pattern pattern, String content, String otherwise) {
        Matcher matcher = pattern.matcher(content);
        return matcher.find() ? matcher.group(1) : otherwise;
    }
}
