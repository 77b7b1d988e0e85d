package io.rollforward.proxy.ha;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A VIP that only records what was asked of it, in order, with the time (System.nanoTime). */
final class RecordingVip implements VipHolder {
    record Call(String what, long at) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    /** This many coming acquire calls fail, as {@code ip addr add} on an interface that is not up. */
    final AtomicInteger failingAcquires = new AtomicInteger();
    private final RuntimeException preflightFailure;
    private volatile boolean held;

    RecordingVip() {
        this(null);
    }

    RecordingVip(RuntimeException preflightFailure) {
        this.preflightFailure = preflightFailure;
    }

    @Override
    public void preflight() {
        calls.add(new Call("preflight", System.nanoTime()));
        if (preflightFailure != null) {
            throw preflightFailure;
        }
    }

    @Override
    public CompletableFuture<Void> acquire() {
        calls.add(new Call("acquire", System.nanoTime()));
        if (failingAcquires.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("ip addr add: Cannot find device"));
        }
        held = true;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> release() {
        calls.add(new Call("release", System.nanoTime()));
        held = false;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> reannounce() {
        calls.add(new Call("reannounce", System.nanoTime()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isHeld() {
        return held;
    }

    @Override
    public Optional<String> address() {
        return Optional.of("10.213.9.100/24");
    }

    @Override
    public void close() {
        calls.add(new Call("close", System.nanoTime()));
        held = false;
    }

    List<String> names() {
        return calls.stream().map(Call::what).toList();
    }

    long last(String what) {
        long at = -1;
        for (Call c : calls) {
            if (c.what().equals(what)) {
                at = c.at();
            }
        }
        return at;
    }
}
