package io.rollforward.config;

/**
 * One problem in a config file, located: {@code rollforward.yaml:7:5: replicas[1].url: "htp://x"
 * (expected: http://host:port)}.
 *
 * @param file    the file name as given
 * @param line    1-based line, 0 if unknown
 * @param column  1-based column, 0 if unknown
 * @param path    key path, e.g. {@code replicas[1].url}
 * @param message the value and what was expected
 */
public record ConfigError(String file, int line, int column, String path, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + path + ": " + message;
    }
}
