package io.rollforward.config;

import java.nio.file.Path;

/** Reads a YAML config file into a validated {@link RollforwardConfig}. */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** @throws ConfigException listing every error found, each with file:line:column and key path */
    public static RollforwardConfig load(Path file) throws ConfigException {
        throw new UnsupportedOperationException("not yet");
    }
}
