package io.rollforward.config;

import java.time.Duration;

/**
 * Bounds on what the front accepts and what the proxy buffers.
 *
 * @param maxRequestBody       larger bodies get 413 and nothing is forwarded (default 10MiB)
 * @param maxHeaderSize        total request header section; larger gets 431 (default 16KiB)
 * @param maxInitialLineLength request line; longer gets 414 (default 8KiB)
 * @param maxResponseBuffer    no longer used: replies stream at once and only the splice window is
 *                             held (kept so that older files still load) (default 8MiB)
 * @param headerReadTimeout    time to receive a whole request head; slower gets 408 (default 10s)
 * @param idleTimeout          idle keep-alive client connection is closed after this (default 60s)
 * @param maxConnections       concurrent client connections; more are refused (default 10000)
 * @param replicaPoolSize      idle keep-alive connections kept per replica per event loop (default 64)
 * @param replicaIdleTimeout   an idle pooled replica connection is closed after this (default 4s: shorter than
 *                             Apache's default KeepAliveTimeout of 5s, so the replica never closes a
 *                             connection just as the proxy reuses it)
 * @param connectTimeout       TCP connect timeout to a replica (default 2s)
 * @param spliceWindow         how far a backup's reply is read ahead of the bytes sent to the client,
 *                             so a mid-body failure of the master can splice to it (default 256KiB)
 * @param maxBufferedTotal     everything the proxy buffers together (splice windows, request bodies);
 *                             0 = half of the JVM's direct-memory limit (default 0)
 * @param maxResponseHeaderSize a replica reply head larger than this fails that replica with
 *                             {@code head_too_large} (default 64KiB)
 * @param maxQueuedWrites      ordered writes waiting or running, all keys together; one more gets 503
 *                             (default 10000)
 * @param maxQueuedWritesPerKey ordered writes waiting or running for one ordering key; one more gets 503
 *                             (default 1000)
 * @param maxCompareBody       with ignore-body rules, replies up to this size are kept whole and
 *                             compared byte by byte after the rules, larger ones by CRC only; without
 *                             rules the CRC decides and the first 4 KiB name the first differing
 *                             offset (default 64KiB)
 */
public record Limits(long maxRequestBody, int maxHeaderSize, int maxInitialLineLength,
                     long maxResponseBuffer, Duration headerReadTimeout, Duration idleTimeout,
                     int maxConnections, int replicaPoolSize, Duration replicaIdleTimeout,
                     Duration connectTimeout, long spliceWindow, long maxBufferedTotal,
                     int maxResponseHeaderSize, int maxQueuedWrites, int maxQueuedWritesPerKey,
                     long maxCompareBody) {
    public static final long DEFAULT_SPLICE_WINDOW = 256 * 1024;
    public static final int DEFAULT_MAX_RESPONSE_HEADER_SIZE = 64 * 1024;
    public static final Limits DEFAULT = new Limits(
            10L * 1024 * 1024, 16 * 1024, 8 * 1024, 8L * 1024 * 1024,
            Duration.ofSeconds(10), Duration.ofSeconds(60), 10_000, 64,
            Duration.ofSeconds(4), Duration.ofSeconds(2));

    /** The limits of earlier versions, with the defaults for the rest (tests, embedders). */
    public Limits(long maxRequestBody, int maxHeaderSize, int maxInitialLineLength, long maxResponseBuffer,
                  Duration headerReadTimeout, Duration idleTimeout, int maxConnections, int replicaPoolSize,
                  Duration replicaIdleTimeout, Duration connectTimeout) {
        this(maxRequestBody, maxHeaderSize, maxInitialLineLength, maxResponseBuffer, headerReadTimeout, idleTimeout,
                maxConnections, replicaPoolSize, replicaIdleTimeout, connectTimeout, DEFAULT_SPLICE_WINDOW, 0,
                DEFAULT_MAX_RESPONSE_HEADER_SIZE, 10_000, 1_000, 64 * 1024);
    }

    public Limits withSpliceWindow(long value) {
        return new Limits(maxRequestBody, maxHeaderSize, maxInitialLineLength, maxResponseBuffer, headerReadTimeout,
                idleTimeout, maxConnections, replicaPoolSize, replicaIdleTimeout, connectTimeout, value,
                maxBufferedTotal, maxResponseHeaderSize, maxQueuedWrites, maxQueuedWritesPerKey, maxCompareBody);
    }

    public Limits withMaxBufferedTotal(long value) {
        return new Limits(maxRequestBody, maxHeaderSize, maxInitialLineLength, maxResponseBuffer, headerReadTimeout,
                idleTimeout, maxConnections, replicaPoolSize, replicaIdleTimeout, connectTimeout, spliceWindow,
                value, maxResponseHeaderSize, maxQueuedWrites, maxQueuedWritesPerKey, maxCompareBody);
    }

    public Limits withMaxResponseHeaderSize(int value) {
        return new Limits(maxRequestBody, maxHeaderSize, maxInitialLineLength, maxResponseBuffer, headerReadTimeout,
                idleTimeout, maxConnections, replicaPoolSize, replicaIdleTimeout, connectTimeout, spliceWindow,
                maxBufferedTotal, value, maxQueuedWrites, maxQueuedWritesPerKey, maxCompareBody);
    }

    /** The same limits with the ordering bounds given (tests). */
    public Limits withQueuedWrites(int total, int perKey) {
        return new Limits(maxRequestBody, maxHeaderSize, maxInitialLineLength, maxResponseBuffer, headerReadTimeout,
                idleTimeout, maxConnections, replicaPoolSize, replicaIdleTimeout, connectTimeout, spliceWindow,
                maxBufferedTotal, maxResponseHeaderSize, total, perKey, maxCompareBody);
    }
}
