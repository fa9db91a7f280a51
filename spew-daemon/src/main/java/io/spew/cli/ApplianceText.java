package io.spew.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.spew.appliance.Appliance;
import io.spew.impl.json.Json;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Appliances as text: YAML for {@code show}, a short command for tables. */
final class ApplianceText {
    private static final int COMMAND_WIDTH = 48;

    /**
     * Writes the JSON tree of Spew's one mapping as YAML: the values are exactly those of
     * {@code --json}, only the notation differs.
     */
    private static final ObjectWriter YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build()).writer();

    private ApplianceText() {}

    /** The appliance as YAML, leaving out empty maps and lists. */
    static String yaml(Appliance appliance) {
        ObjectNode tree = Json.mapper().valueToTree(appliance);
        tree.remove("origins"); // where values were written: see --explain
        for (Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
                fields.hasNext(); ) {
            JsonNode value = fields.next().getValue();
            if (value.isNull() || (value.isContainerNode() && value.isEmpty())) {
                fields.remove();
            }
        }
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command on one line, cut to fit a table. */
    static String shortCommand(List<String> command) {
        String text = String.join(" ", command);
        return text.length() <= COMMAND_WIDTH ? text : text.substring(0, COMMAND_WIDTH - 1) + "…";
    }
}
