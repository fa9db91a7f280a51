package io.spew.impl.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** One appliance file as written: every key it may hold, nothing else. */
record ApplianceDocument(
        String name,
        String runtime,
        JsonNode command,
        Map<String, String> env,
        String workdir,
        StopDocument stop,
        Map<String, String> options,
        Map<String, String> config) {

    /** {@code stop: { signal: TERM, timeout: 10s }}. */
    record StopDocument(String signal, String timeout) {}
}
