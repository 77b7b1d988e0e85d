package io.rollforward.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Configuration of {@code rollforward agent}, which runs beside a web server and sends signed
 * heartbeats to the proxy (or proxies) every {@code timing.keepalive}.
 *
 * @param node    the node name it signs with (matches a replica's {@code agent})
 * @param sendTo  the proxies' heartbeat addresses (UDP)
 * @param keyFile shared key (authkeys), not world-readable
 * @param timing  keepalive is the send interval; the rest must match the proxy's {@code agents}
 * @param check   local check of the web server: when it fails the agent reports DOWN at once
 *                instead of going silent; empty = always report UP while running
 */
public record AgentConfig(String node, List<HostPort> sendTo, Path keyFile, Timing timing,
                          Optional<LocalCheck> check) {
    public AgentConfig {
        sendTo = List.copyOf(sendTo);
        check = check == null ? Optional.empty() : check;
    }

    /**
     * {@code GET url}; passes on {@code expectStatus} and, if set, a body containing
     * {@code receive}; fails after {@code timeout}. Defaults: expect-status 200, timeout 1s.
     */
    public record LocalCheck(URI url, int expectStatus, Optional<String> receive, Duration timeout) {
        public LocalCheck {
            receive = receive == null ? Optional.empty() : receive;
        }
    }
}
