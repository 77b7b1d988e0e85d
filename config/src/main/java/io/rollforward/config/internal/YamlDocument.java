package io.rollforward.config.internal;

import java.io.StringReader;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns YAML text into SnakeYAML's node tree, which keeps the line and column of every value.
 * We read nodes, not constructed Java objects, so every error can say where it is, duplicate keys
 * stay visible (a constructed map would keep only the last one) and no YAML tag can construct
 * an arbitrary class.
 */
public final class YamlDocument {
    private YamlDocument() {
    }

    /** The root node, or empty after reporting a syntax error or an empty document. */
    public static Optional<Node> compose(String text, Problems problems) {
        LoaderOptions options = new LoaderOptions();
        // "<<" merge keys stay ordinary keys and are reported as unknown: merging hides which
        // line a value came from.
        options.setMergeOnCompose(false);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(50);
        try {
            Node root = new Yaml(options).compose(new StringReader(text));
            if (root == null) {
                problems.reportAtStart("empty file (expected: a YAML mapping of settings)");
                return Optional.empty();
            }
            return Optional.of(root);
        } catch (MarkedYAMLException e) {
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            problems.report(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark(), "",
                    "invalid YAML: " + e.getProblem() + context);
            return Optional.empty();
        } catch (YAMLException e) {
            problems.report((Node) null, "", "invalid YAML: " + e.getMessage());
            return Optional.empty();
        }
    }
}
