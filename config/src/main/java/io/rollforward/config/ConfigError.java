package io.rollforward.config;

/**
 * One problem in a config file, located: {@code rollforward.yaml:7:5: replicas[1].url: "htp://x"
 * (expected: http://host:port)}.
 *
 * @param file    the file name as given
 * @param line    1-based line, 0 if unknown
 * @param column  1-based column, 0 if unknown
 * @param path    key path, e.g. {@code replicas[1].url} (list indexes count from 0); empty when
 *                the error is not about one key (YAML syntax, unreadable file)
 * @param message the value and what was expected. A value that is not of the expected kind is
 *                quoted as written ({@code "5x" (expected: a duration ...)}); a well-formed value
 *                that breaks a rule is shown unquoted ({@code 200ms (expected: > warntime 500ms)})
 */
public record ConfigError(String file, int line, int column, String path, String message) {
    @Override
    public String toString() {
        // A YAML syntax error or an unreadable file has no key path: leave it out rather than print ": : ".
        return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
