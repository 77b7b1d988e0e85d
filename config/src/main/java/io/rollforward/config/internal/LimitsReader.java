package io.rollforward.config.internal;

import io.rollforward.config.Limits;

import java.time.Duration;
import java.util.Optional;

/** Reads {@code limits}: what the front accepts and what the proxy buffers and pools. */
final class LimitsReader {
    private LimitsReader() {
    }

    static Limits read(Section limits) {
        Limits d = Limits.DEFAULT;
        long maxRequestBody = size(limits, "max-request-body", d.maxRequestBody(), Long.MAX_VALUE);
        int maxHeaderSize = (int) size(limits, "max-header-size", d.maxHeaderSize(), Integer.MAX_VALUE);
        int maxInitialLine = (int) size(limits, "max-initial-line-length", d.maxInitialLineLength(), Integer.MAX_VALUE);
        long maxResponseBuffer = size(limits, "max-response-buffer", d.maxResponseBuffer(), Integer.MAX_VALUE);
        Duration headerReadTimeout = limits.positive("header-read-timeout", d.headerReadTimeout());
        Duration idleTimeout = limits.positive("idle-timeout", d.idleTimeout());
        int maxConnections = limits.atLeast("max-connections", 1, d.maxConnections());
        int poolSize = limits.atLeast("replica-pool-size", 0, d.replicaPoolSize());
        Duration replicaIdleTimeout = limits.positive("replica-idle-timeout", d.replicaIdleTimeout());
        Duration connectTimeout = limits.positive("connect-timeout", d.connectTimeout());
        long spliceWindow = limits.get("splice-window", ScalarType.BYTE_SIZE, d.spliceWindow());
        limits.rule("splice-window", spliceWindow >= 4096 && spliceWindow <= 64L * 1024 * 1024, "4KiB..64MiB");
        long maxBufferedTotal = maxBufferedTotal(limits, d.maxBufferedTotal());
        int maxResponseHeader = (int) size(limits, "max-response-header-size", d.maxResponseHeaderSize(), 16 * 1024 * 1024);
        if (limits.ok("splice-window") && maxBufferedTotal > 0 && limits.ok("max-buffered-total")) {
            limits.rule("max-buffered-total", maxBufferedTotal >= spliceWindow,
                    ">= splice-window " + spliceWindow + " bytes, or auto");
        }
        int maxQueuedWrites = limits.atLeast("max-queued-writes", 1, d.maxQueuedWrites());
        int maxQueuedWritesPerKey = limits.atLeast("max-queued-writes-per-key", 1, d.maxQueuedWritesPerKey());
        if (limits.ok("max-queued-writes")) {
            limits.rule("max-queued-writes-per-key", maxQueuedWritesPerKey <= maxQueuedWrites,
                    "<= max-queued-writes " + maxQueuedWrites);
        }
        long maxCompareBody = size(limits, "max-compare-body", d.maxCompareBody(), Integer.MAX_VALUE);
        limits.finish();
        return new Limits(maxRequestBody, maxHeaderSize, maxInitialLine, maxResponseBuffer, headerReadTimeout,
                idleTimeout, maxConnections, poolSize, replicaIdleTimeout, connectTimeout,
                limits.ok("splice-window") ? spliceWindow : d.spliceWindow(), maxBufferedTotal, maxResponseHeader,
                maxQueuedWrites, maxQueuedWritesPerKey, maxCompareBody);
    }

    /** {@code auto} (0: half the direct-memory limit, decided by the proxy at start) or a size. */
    private static long maxBufferedTotal(Section limits, long fallback) {
        Optional<String> text = limits.optional("max-buffered-total", ScalarType.STRING);
        if (text.isEmpty() || text.get().equalsIgnoreCase("auto")) {
            return fallback;
        }
        return size(limits, "max-buffered-total", fallback, Long.MAX_VALUE);
    }

    /**
     * A size in 1..max. The response buffer is capped at 2GiB - 1 as well: it is one ByteBuf,
     * whose capacity is an int.
     */
    private static long size(Section limits, String key, long fallback, long max) {
        long value = limits.get(key, ScalarType.BYTE_SIZE, fallback);
        limits.rule(key, value >= 1 && value <= max,
                max == Long.MAX_VALUE ? ">= 1" : "1.." + max + " bytes");
        return limits.ok(key) ? value : fallback;
    }
}
