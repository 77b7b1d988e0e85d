package io.rollforward.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The access log: one line per request.
 *
 * @param file   the file lines are appended to; empty with {@code stdout} false = no access log
 *               (default off)
 * @param stdout {@code path: -}: lines go to standard output (default false)
 * @param format {@code combined} (Apache's combined format plus served-by, outcome, cause and
 *               duration) or {@code json}, one object a line (default combined)
 */
public record AccessLogConfig(Optional<Path> file, boolean stdout, Format format) {
    public static final AccessLogConfig OFF = new AccessLogConfig(Optional.empty(), false, Format.COMBINED);

    /** How each line is written. */
    public enum Format { COMBINED, JSON }

    public AccessLogConfig {
        file = file == null ? Optional.empty() : file;
        if (stdout && file.isPresent()) {
            throw new IllegalArgumentException("either a file or stdout, not both");
        }
    }

    public boolean enabled() {
        return stdout || file.isPresent();
    }
}
