package io.rollforward.config.internal;

import java.util.List;
import java.util.Optional;

/**
 * Reads a command as an argv list ({@code [/usr/local/bin/resync, web1]}). A list, not a shell
 * string: the command runs without a shell, so no quoting rules and no injection through a
 * replica or node name.
 */
final class Commands {
    private static final String EXPECTED = "a command as a list, e.g. [/usr/local/bin/resync, web1]";

    private Commands() {
    }

    /** The command under {@code key}; empty list when absent (reported missing if required). */
    static List<String> read(Section section, String key, boolean required) {
        if (!section.has(key)) {
            if (required) {
                section.missing(key, EXPECTED);
            }
            return List.of();
        }
        Optional<List<String>> argv = section.list(key, ScalarType.STRING, EXPECTED);
        if (required) {
            section.rule(key, !section.isEmptyList(key), EXPECTED);
        }
        return argv.orElse(List.of());
    }
}
