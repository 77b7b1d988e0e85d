package io.rollforward.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The admin HTTP port: {@code /metrics}, {@code /status}, {@code /healthz}, and mutating calls
 * (drain, failover, rejoin) that need {@code Authorization: Bearer <token>} read from
 * {@code tokenFile}. Without a token file the mutating calls are disabled (403).
 *
 * <p>Default: listen 127.0.0.1:9901, no token file.
 */
public record AdminConfig(HostPort listen, Optional<Path> tokenFile) {
    public static final AdminConfig DEFAULT = new AdminConfig(new HostPort("127.0.0.1", 9901), Optional.empty());

    public AdminConfig {
        tokenFile = tokenFile == null ? Optional.empty() : tokenFile;
    }
}
