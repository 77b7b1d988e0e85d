package io.rollforward.config;

import java.time.Duration;

/**
 * Bounds on what the front accepts and what the proxy buffers.
 *
 * @param maxRequestBody       larger bodies get 413 and nothing is forwarded (default 10MiB)
 * @param maxHeaderSize        total request header section; larger gets 431 (default 16KiB)
 * @param maxInitialLineLength request line; longer gets 414 (default 8KiB)
 * @param maxResponseBuffer    per replica reply buffered for roll-forward; a larger master reply
 *                             is streamed and counted as uncovered (default 8MiB)
 * @param headerReadTimeout    time to receive a whole request head; slower gets 408 (default 10s)
 * @param idleTimeout          idle keep-alive client connection is closed after this (default 60s)
 * @param maxConnections       concurrent client connections; more are refused (default 10000)
 * @param replicaPoolSize      idle keep-alive connections kept per replica per event loop (default 64)
 * @param replicaIdleTimeout   an idle pooled replica connection is closed after this (default 4s: shorter than
 *                             Apache's default KeepAliveTimeout of 5s, so the replica never closes a
 *                             connection just as the proxy reuses it)
 * @param connectTimeout       TCP connect timeout to a replica (default 2s)
 */
public record Limits(long maxRequestBody, int maxHeaderSize, int maxInitialLineLength,
                     long maxResponseBuffer, Duration headerReadTimeout, Duration idleTimeout,
                     int maxConnections, int replicaPoolSize, Duration replicaIdleTimeout,
                     Duration connectTimeout) {
    public static final Limits DEFAULT = new Limits(
            10L * 1024 * 1024, 16 * 1024, 8 * 1024, 8L * 1024 * 1024,
            Duration.ofSeconds(10), Duration.ofSeconds(60), 10_000, 64,
            Duration.ofSeconds(4), Duration.ofSeconds(2));
}
