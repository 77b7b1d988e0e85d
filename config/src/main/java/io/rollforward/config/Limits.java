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
 * @param maxQueuedWrites      ordered writes waiting or running, all keys together; one more gets 503
 *                             (default 10000)
 * @param maxQueuedWritesPerKey ordered writes waiting or running for one ordering key; one more gets 503
 *                             (default 1000)
 * @param maxCompareBody       replies up to this size are compared byte by byte (ignore-body rules,
 *                             the first differing offset); larger ones by CRC only (default 64KiB)
 */
public record Limits(long maxRequestBody, int maxHeaderSize, int maxInitialLineLength,
                     long maxResponseBuffer, Duration headerReadTimeout, Duration idleTimeout,
                     int maxConnections, int replicaPoolSize, Duration replicaIdleTimeout,
                     Duration connectTimeout, int maxQueuedWrites, int maxQueuedWritesPerKey,
                     long maxCompareBody) {
    public static final Limits DEFAULT = new Limits(
            10L * 1024 * 1024, 16 * 1024, 8 * 1024, 8L * 1024 * 1024,
            Duration.ofSeconds(10), Duration.ofSeconds(60), 10_000, 64,
            Duration.ofSeconds(4), Duration.ofSeconds(2));

    /** The bounds without the write-ordering and comparison ones, which take their defaults. */
    public Limits(long maxRequestBody, int maxHeaderSize, int maxInitialLineLength, long maxResponseBuffer,
                  Duration headerReadTimeout, Duration idleTimeout, int maxConnections, int replicaPoolSize,
                  Duration replicaIdleTimeout, Duration connectTimeout) {
        this(maxRequestBody, maxHeaderSize, maxInitialLineLength, maxResponseBuffer, headerReadTimeout, idleTimeout,
                maxConnections, replicaPoolSize, replicaIdleTimeout, connectTimeout, 10_000, 1_000, 64 * 1024);
    }

    /** The same limits with the ordering bounds given (tests). */
    public Limits withQueuedWrites(int total, int perKey) {
        return new Limits(maxRequestBody, maxHeaderSize, maxInitialLineLength, maxResponseBuffer, headerReadTimeout,
                idleTimeout, maxConnections, replicaPoolSize, replicaIdleTimeout, connectTimeout, total, perKey,
                maxCompareBody);
    }
}
