package io.spew.impl.appliance;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One node of a YAML (or JSON) config file with where it was written, read through SnakeYAML's
 * node API so that every value keeps its line and column. Every error is an
 * {@code INVALID_APPLIANCE} whose message starts with {@code file:line:column:}.
 */
public final class ConfigNode {
    private final String source;
    private final Node node;

    private ConfigNode(String source, Node node) {
        this.source = requireNonNull(source, "source is null");
        this.node = requireNonNull(node, "node is null");
    }

    /** The root of a document, or null when the text holds none (empty, or comments only). */
    public static ConfigNode parse(String source, String content) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        try {
            Node root = new Yaml(options).compose(new StringReader(content));
            return root == null ? null : new ConfigNode(source, root);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new SpewException(ErrorCode.INVALID_APPLIANCE, at(source, mark) + ": bad YAML: "
                    + oneLine(problem) + (e.getContext() == null ? "" : " (" + oneLine(e.getContext()) + ")"));
        } catch (YAMLException e) {
            throw new SpewException(ErrorCode.INVALID_APPLIANCE, source + ":1:1: bad YAML: " + oneLine(e.getMessage()));
        }
    }

    public String source() {
        return source;
    }

    /** {@code file:line:column}, 1-based. */
    public String location() {
        return at(source, node.getStartMark());
    }

    /** An error about this node: {@code file:line:column: what}. */
    public SpewException error(String what) {
        return new SpewException(ErrorCode.INVALID_APPLIANCE, location() + ": " + what);
    }

    public boolean isNull() {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    public boolean isMapping() {
        return node instanceof MappingNode;
    }

    public boolean isSequence() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    /**
     * The entries of a mapping, in file order, keyed by their text; a key outside {@code known}
     * (when not null) is an error naming it and the known ones.
     *
     * @param what what the mapping is, for errors ("an appliance")
     */
    public Map<String, Entry> entries(String what, Set<String> known) {
        if (!isMapping()) {
            throw error(what + " must be a mapping of keys to values, not " + kind());
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            ConfigNode key = new ConfigNode(source, tuple.getKeyNode());
            if (!key.isScalar()) {
                throw key.error("a key of " + what + " must be a plain word, not " + key.kind());
            }
            String name = ((ScalarNode) tuple.getKeyNode()).getValue();
            if (known != null && !known.contains(name)) {
                throw key.error("unknown key '" + name + "' in " + what + " (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
            if (entries.containsKey(name)) {
                throw key.error("key '" + name + "' is written twice in " + what + " (first at " + entries.get(name).key().location() + ")");
            }
            entries.put(name, new Entry(key, new ConfigNode(source, tuple.getValueNode())));
        }
        return entries;
    }

    /** The text of a scalar (numbers and booleans as written); {@code what} names it in errors. */
    public String text(String what) {
        if (!isScalar()) {
            throw error(what + " must be a single value, not " + kind());
        }
        return ((ScalarNode) node).getValue();
    }

    /** The text of a scalar, or null when the value is null. */
    public String textOrNull(String what) {
        return isNull() ? null : text(what);
    }

    /** A whole number of 0 or more. */
    public int count(String what) {
        String text = isScalar() ? ((ScalarNode) node).getValue() : null;
        if (text != null && text.matches("\\d{1,6}")) {
            return Integer.parseInt(text);
        }
        throw error(what + " must be a count (a whole number of 0 or more), not " + (text == null ? kind() : "'" + text + "'"));
    }

    /** The elements of a sequence. */
    public List<ConfigNode> elements(String what) {
        if (!isSequence()) {
            throw error(what + " must be a list, not " + kind());
        }
        List<ConfigNode> elements = new ArrayList<>();
        for (Node element : ((SequenceNode) node).getValue()) {
            elements.add(new ConfigNode(source, element));
        }
        return elements;
    }

    /** A list of single values, or one value read as a list of one. */
    public List<String> texts(String what) {
        List<String> texts = new ArrayList<>();
        for (ConfigNode element : elements(what)) {
            texts.add(element.text("each element of " + what));
        }
        return texts;
    }

    /** What the node is, for errors: "a list", "a mapping", "a value", "nothing". */
    public String kind() {
        if (isMapping()) {
            return "a mapping";
        }
        if (isSequence()) {
            return "a list";
        }
        return isNull() ? "nothing" : "the value '" + ((ScalarNode) node).getValue() + "'";
    }

    private static String at(String source, Mark mark) {
        if (mark == null) {
            return source + ":1:1";
        }
        return source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\n\\s*", " ").trim();
    }

    /** One key and its value. */
    public record Entry(ConfigNode key, ConfigNode value) {}
}
