package io.rollforward.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.rollforward.proxy.metrics.ProxyMetrics;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaSet;
import io.rollforward.proxy.schedule.GroupDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicas a reload took out of the set: their pools stay open while exchanges that started
 * before the reload still use them, then close (at most {@code shutdown-timeout} later) and
 * their meters leave the scrape.
 *
 * <p>When the last of them is over: an exchange reads what it serves from once and counts itself
 * in its group ({@code dispatched}) in the same task on its client's event loop, so after one
 * empty task has run on every worker loop each exchange of the old groups is counted; the old
 * groups' in-flight counts falling to 0 is then the end of the old set's work. The wait is a timer
 * on the admin loop, never a blocked thread.
 */
final class ReplicaRetirement implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaRetirement.class);
    private static final long POLL_MILLIS = 50;

    private final EventLoopGroup workers;
    private final EventLoopGroup timer;
    private final ReplicaSet replicas;
    private final ProxyMetrics metrics;
    private final Set<Replica> draining = ConcurrentHashMap.newKeySet();

    ReplicaRetirement(EventLoopGroup workers, EventLoopGroup timer, ReplicaSet replicas, ProxyMetrics metrics) {
        this.workers = workers;
        this.timer = timer;
        this.replicas = replicas;
        this.metrics = metrics;
    }

    /** Retires {@code retired} once every exchange of {@code before}'s groups ended, or after {@code bound}. */
    void retire(List<Replica> retired, GroupDispatcher before, Duration bound) {
        if (retired.isEmpty()) {
            return;
        }
        draining.addAll(retired);
        long deadline = System.nanoTime() + bound.toNanos();
        AtomicInteger loopsLeft = new AtomicInteger();
        List<EventExecutor> loops = new ArrayList<>();
        workers.forEach(loops::add);
        loopsLeft.set(loops.size());
        Runnable barrierPassed = () -> {
            if (loopsLeft.decrementAndGet() == 0) {
                waitForExchanges(retired, before, deadline);
            }
        };
        for (EventExecutor loop : loops) {
            try {
                loop.execute(barrierPassed);
            } catch (RejectedExecutionException e) {
                barrierPassed.run(); // stopping: nothing more runs there
            }
        }
    }

    private void waitForExchanges(List<Replica> retired, GroupDispatcher before, long deadline) {
        AtomicReference<ScheduledFuture<?>> poll = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        Runnable check = () -> {
            boolean late = System.nanoTime() - deadline >= 0;
            if (before.busy() && !late || !done.compareAndSet(false, true)) {
                return;
            }
            if (poll.get() != null) {
                poll.get().cancel(false);
            }
            if (late && before.busy()) {
                log.warn("retired replica(s) {}: exchanges still in flight after shutdown-timeout; closing their pools",
                        names(retired));
            }
            finish(retired);
        };
        try {
            poll.set(timer.next().scheduleAtFixedRate(check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            finish(retired); // the admin loop is stopping: close() takes care of them
        }
    }

    private void finish(List<Replica> retired) {
        List<Replica> closed = new ArrayList<>();
        for (Replica r : retired) {
            if (!draining.remove(r)) {
                continue; // closed already by close()
            }
            r.pool().close();
            closed.add(r);
            if (replicas.byName(r.name()).isEmpty()) {
                metrics.removeReplica(r.name());
            }
        }
        if (!closed.isEmpty()) {
            log.info("retired replica(s) {}: their exchanges are over, pools closed", names(closed));
        }
    }

    private static List<String> names(List<Replica> replicas) {
        return replicas.stream().map(Replica::name).toList();
    }

    /** Replicas whose pools are still open for exchanges of an earlier set (tests, status). */
    Set<Replica> draining() {
        return Set.copyOf(draining);
    }

    /** The proxy stops: every pool still open closes now (the exchanges are over or cut by then). */
    @Override
    public void close() {
        for (Replica r : List.copyOf(draining)) {
            if (draining.remove(r)) {
                r.pool().close();
            }
        }
    }
}
