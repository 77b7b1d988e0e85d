package io.rollforward.proxy.exchange;

import io.netty.util.internal.PlatformDependent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One budget for every byte the proxy holds on behalf of exchanges: backups' splice windows and
 * request bodies ({@code limits.max-buffered-total}). At the limit a backup is read no further
 * ahead (its socket and server hold the rest: TCP backpressure), so memory stays bounded and
 * coverage is kept; a body already read is counted even over the limit, so the windows give way
 * to it. Shared by every event loop: one atomic counter.
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

    /** {@code configured} bytes, or half of the JVM's direct-memory limit for 0 ({@code auto}). */
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
