package io.rollforward.proxy.exchange;

import io.netty.util.internal.PlatformDependent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One budget for every byte the proxy holds on behalf of exchanges ({@code limits.max-buffered-total}):
 * backups' splice windows (the capacity their buffers pin, and the next read a backup reserves
 * before reading on), request bodies, and the reply bytes queued to clients
 * ({@link ClientOutboundBudget}). At the limit a backup is read no further ahead (its socket and
 * server hold the rest: TCP backpressure), so memory stays bounded and coverage is kept; bytes
 * already in memory (a body read, bytes written to a client) are counted even over the limit, so
 * the windows give way to them. Shared by every event loop: one atomic counter. See
 * docs/ARCHITECTURE.md, "Bounded memory".
 */
public final class BufferBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public BufferBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.limit = limit;
    }

    /**
     * {@code configured} bytes, or half of the JVM's direct-memory limit for 0 ({@code auto}): the
     * other half is for what the budget does not count (each backup's first read, reads being
     * decoded, TLS and HTTP/2 buffers, the allocator's partly used chunks).
     */
    public static BufferBudget of(long configured) {
        return new BufferBudget(configured > 0 ? configured : Math.max(1 << 20, PlatformDependent.maxDirectMemory() / 2));
    }

    /** Takes {@code bytes} if they fit under the limit. */
    boolean tryReserve(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    /** Takes {@code bytes} whether or not they fit (they are already in memory). */
    void force(long bytes) {
        used.addAndGet(bytes);
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** Bytes held now. */
    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }
}
