package io.rollforward.proxy.ring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollforward.heartbeat.ring.MemberLoad;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * This node's load as the ring publishes it every second: in-flight exchanges now, and client
 * requests per second since the previous sample (from {@code rollforward_requests_total}).
 * Called from one thread (the ring's).
 */
public final class LoadSampler implements Supplier<MemberLoad> {
    private final IntSupplier inflight;
    private final LongSupplier requests;
    private final LongSupplier nanoClock;
    private long lastCount;
    private long lastAt;

    public LoadSampler(IntSupplier inflight, LongSupplier requests, LongSupplier nanoClock) {
        this.inflight = inflight;
        this.requests = requests;
        this.nanoClock = nanoClock;
        this.lastCount = requests.getAsLong();
        this.lastAt = nanoClock.getAsLong();
    }

    /** Requests counted in {@code registry}'s {@code rollforward.requests} counters, all tags. */
    public static LongSupplier requestsIn(MeterRegistry registry) {
        return () -> (long) registry.find("rollforward.requests").counters().stream().mapToDouble(Counter::count).sum();
    }

    @Override
    public MemberLoad get() {
        long now = nanoClock.getAsLong();
        long count = requests.getAsLong();
        double seconds = (now - lastAt) / 1e9;
        double rate = seconds > 0 ? (count - lastCount) / seconds : 0;
        lastCount = count;
        lastAt = now;
        return new MemberLoad(inflight.getAsInt(), Math.round(rate * 10) / 10.0);
    }
}
