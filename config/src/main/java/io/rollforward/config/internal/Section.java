package io.rollforward.config.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One YAML mapping being read, e.g. {@code cluster.udp}. Each accessor names a key the section
 * knows; {@link #finish()} then reports every key that no accessor asked for as unknown, so the
 * list of valid keys is the reading code itself and cannot drift from it. Duplicate keys are
 * reported when the section is opened. Malformed values are reported where they are and read as
 * absent, so reading goes on and every error in the file is found in one pass.
 */
public final class Section {
    private final MappingNode node;
    private final String path;
    private final Problems problems;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();

    private Section(MappingNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        for (NodeTuple entry : node.getValue()) {
            Node keyNode = entry.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalar)) {
                problems.report(keyNode, path, NodeShape.describe(keyNode) + " as a key (expected: a plain key)");
                continue;
            }
            NodeTuple first = entries.putIfAbsent(scalar.getValue(), entry);
            if (first != null) {
                problems.report(keyNode, pathOf(scalar.getValue()), "duplicate key (first at line "
                        + (first.getKeyNode().getStartMark().getLine() + 1) + ")");
            }
        }
    }

    /** Opens {@code node} as a section, or reports that it is not a mapping. */
    public static Optional<Section> open(Node node, String path, Problems problems, String expected) {
        if (node instanceof MappingNode mapping) {
            return Optional.of(new Section(mapping, path, problems));
        }
        problems.report(node, path, NodeShape.describe(node) + " (expected: " + expected + ")");
        return Optional.empty();
    }

    public Problems problems() {
        return problems;
    }

    /** The full key path of {@code key} in this section, e.g. {@code cluster.udp.peers}. */
    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The value node of {@code key}, if written. Marks the key as known. */
    public Optional<Node> node(String key) {
        known.add(key);
        NodeTuple entry = entries.get(key);
        return entry == null ? Optional.empty() : Optional.of(entry.getValueNode());
    }

    /** Whether {@code key} is written; does not by itself make the key known. */
    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** Whether {@code key} is written as a list with no element, {@code []}. */
    public boolean isEmptyList(String key) {
        NodeTuple entry = entries.get(key);
        return entry != null && entry.getValueNode() instanceof SequenceNode sequence && sequence.getValue().isEmpty();
    }

    /** The value of {@code key}; empty if absent or malformed (then reported). */
    public <T> Optional<T> optional(String key, ScalarType<T> type) {
        return node(key).flatMap(value -> type.read(value, pathOf(key), problems));
    }

    /** The value of {@code key}, or {@code fallback} if absent or malformed. */
    public <T> T get(String key, ScalarType<T> type, T fallback) {
        return optional(key, type).orElse(fallback);
    }

    /** A duration that must be &gt; 0, or {@code fallback} if absent. */
    public Duration positive(String key, Duration fallback) {
        Duration value = get(key, ScalarType.DURATION, fallback);
        rule(key, value.compareTo(Duration.ZERO) > 0, "> 0");
        return value;
    }

    /** A duration that may be 0, or {@code fallback} if absent (negative ones do not parse). */
    public Duration duration(String key, Duration fallback) {
        return get(key, ScalarType.DURATION, fallback);
    }

    /** An integer &gt;= {@code min}, or {@code fallback} if absent. */
    public int atLeast(String key, int min, int fallback) {
        int value = get(key, ScalarType.INTEGER, fallback);
        rule(key, value >= min, ">= " + min);
        return value;
    }

    /** The value of {@code key}; reports it missing at this section when absent. */
    public <T> Optional<T> required(String key, ScalarType<T> type) {
        if (!has(key)) {
            missing(key, type.expected());
            return Optional.empty();
        }
        return optional(key, type);
    }

    /** Reports {@code key} as missing, at this mapping's location. */
    public void missing(String key, String expected) {
        known.add(key);
        problems.report(node, pathOf(key), "missing (expected: " + expected + ")");
    }

    /** The mapping under {@code key}, if written and a mapping (else reported). */
    public Optional<Section> section(String key, String expected) {
        return node(key).flatMap(value -> open(value, pathOf(key), problems, expected));
    }

    /** The list under {@code key}, each element read as a T; empty if absent or not a list. */
    public <T> Optional<List<T>> list(String key, ScalarType<T> type) {
        return list(key, type, "a list, each " + type.expected());
    }

    /** As {@link #list(String, ScalarType)}, saying {@code expected} when the value is not a list. */
    public <T> Optional<List<T>> list(String key, ScalarType<T> type, String expected) {
        Optional<SequenceNode> sequence = sequence(key, expected);
        if (sequence.isEmpty()) {
            return Optional.empty();
        }
        List<T> values = new ArrayList<>();
        List<Node> elements = sequence.get().getValue();
        for (int i = 0; i < elements.size(); i++) {
            type.read(elements.get(i), pathOf(key) + "[" + i + "]", problems).ifPresent(values::add);
        }
        return Optional.of(values);
    }

    /** The list node under {@code key}, if written and a list (else reported). */
    public Optional<SequenceNode> sequence(String key, String expected) {
        Optional<Node> value = node(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get() instanceof SequenceNode sequence) {
            return Optional.of(sequence);
        }
        problems.report(value.get(), pathOf(key), NodeShape.describe(value.get()) + " (expected: " + expected + ")");
        return Optional.empty();
    }

    /**
     * Checks a rule on a value that was read well: when {@code holds} is false, reports the value
     * as written followed by {@code (expected: expectation)}. A key that was absent (its default
     * is in use) is reported at this section, a key already reported is not checked again.
     */
    public void rule(String key, boolean holds, String expectation) {
        if (holds || problems.failed(pathOf(key))) {
            return;
        }
        NodeTuple entry = entries.get(key);
        if (entry == null) {
            problems.report(node, pathOf(key), "default (expected: " + expectation + ")");
        } else {
            problems.report(entry.getValueNode(), pathOf(key), written(entry.getValueNode())
                    + " (expected: " + expectation + ")");
        }
    }

    /** Whether {@code key}'s value was read without error (true also when absent). */
    public boolean ok(String key) {
        return !problems.failed(pathOf(key));
    }

    /** Location of {@code key}'s value, or of this mapping when absent. */
    public Mark markOf(String key) {
        NodeTuple entry = entries.get(key);
        return entry == null ? node.getStartMark() : entry.getValueNode().getStartMark();
    }

    /** Reports every key no accessor asked for, suggesting the closest known key. */
    public void finish() {
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            String key = entry.getKey();
            if (known.contains(key)) {
                continue;
            }
            String hint = KeySuggestion.closest(key, known)
                    .map(k -> "did you mean '" + k + "'?")
                    .orElse("expected one of: " + String.join(", ", known));
            problems.report(entry.getValue().getKeyNode(), pathOf(key), "unknown key '" + key + "' (" + hint + ")");
        }
    }

    private static String written(Node value) {
        return value instanceof ScalarNode scalar ? scalar.getValue() : NodeShape.describe(value);
    }
}
