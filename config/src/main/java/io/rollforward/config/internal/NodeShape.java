package io.rollforward.config.internal;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Names what a node is, for an error that found one kind where another was expected. */
final class NodeShape {
    private NodeShape() {
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue().isEmpty() ? "[]" : "a list";
        }
        if (node instanceof ScalarNode scalar) {
            return ScalarType.quote(scalar.getValue());
        }
        return "nothing";
    }
}
