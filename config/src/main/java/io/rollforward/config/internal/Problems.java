package io.rollforward.config.internal;

import io.rollforward.config.ConfigError;
import io.rollforward.config.ConfigException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Every error found in one file. Readers report and carry on, so the operator sees all the
 * mistakes in one run instead of one per run. Remembers which key paths failed, so a rule that
 * spans two keys is not checked against a value that was already reported as malformed.
 */
public final class Problems {
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private final Set<String> failedPaths = new HashSet<>();

    public Problems(String file) {
        this.file = file;
    }

    /** Reports an error located at {@code node}'s first character. */
    public void report(Node node, String path, String message) {
        report(node == null ? null : node.getStartMark(), path, message);
    }

    /** Reports an error at {@code mark} (SnakeYAML counts from 0, we print from 1). */
    public void report(Mark mark, String path, String message) {
        int line = mark == null ? 0 : mark.getLine() + 1;
        int column = mark == null ? 0 : mark.getColumn() + 1;
        errors.add(new ConfigError(file, line, column, path, message));
        failedPaths.add(path);
    }

    /** Reports an error about the file as a whole (it is empty) at its first character. */
    public void reportAtStart(String message) {
        errors.add(new ConfigError(file, 1, 1, "", message));
    }

    /** Whether an error was reported for exactly this key path. */
    public boolean failed(String path) {
        return failedPaths.contains(path);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** @throws ConfigException with every error, in the order they appear in the file */
    public void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            List<ConfigError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
            throw new ConfigException(sorted);
        }
    }
}
