package io.spew.impl.appliance;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads one appliance from YAML or JSON (JSON is YAML). Unknown keys, wrong types and bad values are
 * refused with {@code INVALID_APPLIANCE} and a message that starts with {@code source:line:}.
 */
public final class ApplianceParser {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private ApplianceParser() {}

    public static Appliance parse(String source, String content) {
        ApplianceDocument document;
        try {
            document = YAML.readValue(content, ApplianceDocument.class);
        } catch (JsonProcessingException e) {
            String where = e instanceof UnrecognizedPropertyException unknown
                    ? source + ":" + lineOf(content, unknown.getPropertyName()) + ": "
                    : where(source, e.getLocation());
            throw new SpewException(ErrorCode.INVALID_APPLIANCE, where + describe(e));
        }
        if (document == null) {
            throw invalid(source, 1, "the file is empty: an appliance needs at least 'name'");
        }
        return toAppliance(source, content, document);
    }

    private static Appliance toAppliance(String source, String content, ApplianceDocument document) {
        if (document.name() == null) {
            throw invalid(source, 1, "missing key 'name'");
        }
        if (!NAME.matcher(document.name()).matches()) {
            throw invalid(source, lineOf(content, "name"), "bad name '" + document.name()
                    + "': use lower-case letters, digits, '-', '_' and '.', starting with a letter or digit");
        }
        return new Appliance(document.name(), document.runtime(),
                command(source, lineOf(content, "command"), document.command()),
                document.env(), document.workdir(), stop(source, lineOf(content, "stop"), document.stop()), document.options(),
                document.config(), source);
    }

    private static List<String> command(String source, int line, JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isValueNode()) {
            return List.of("/bin/sh", "-c", node.asText());
        }
        if (node.isArray()) {
            List<String> command = new ArrayList<>();
            for (JsonNode element : node) {
                if (!element.isValueNode() || element.isNull()) {
                    throw invalid(source, line, "'command' must be a string or a list of strings");
                }
                command.add(element.asText());
            }
            return command;
        }
        throw invalid(source, line, "'command' must be a string or a list of strings");
    }

    private static StopPolicy stop(String source, int line, ApplianceDocument.StopDocument stop) {
        if (stop == null) {
            return StopPolicy.DEFAULT;
        }
        try {
            Signal signal = stop.signal() == null ? StopPolicy.DEFAULT.signal() : Signal.parse(stop.signal());
            return new StopPolicy(signal,
                    stop.timeout() == null ? StopPolicy.DEFAULT.timeout() : Durations.parse(stop.timeout()));
        } catch (SpewException | IllegalArgumentException e) {
            throw invalid(source, line, "stop: " + e.getMessage());
        }
    }

    /** The first line where {@code key} is written as a key, else 1. */
    private static int lineOf(String content, String key) {
        Pattern pattern = Pattern.compile("^\\s*[-{]?\\s*[\"']?" + Pattern.quote(key) + "[\"']?\\s*:");
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (pattern.matcher(lines[i]).find()) {
                return i + 1;
            }
        }
        return 1;
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            return "unknown key '" + unknown.getPropertyName() + "' (known: " + known + ")";
        }
        String message = e.getOriginalMessage();
        int detail = message.indexOf("\n");
        return detail > 0 ? message.substring(0, detail) : message;
    }

    private static String where(String source, JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return source + ": ";
        }
        return source + ":" + location.getLineNr() + ": ";
    }

    private static SpewException invalid(String source, int line, String what) {
        return new SpewException(ErrorCode.INVALID_APPLIANCE, source + ":" + line + ": " + what);
    }
}
