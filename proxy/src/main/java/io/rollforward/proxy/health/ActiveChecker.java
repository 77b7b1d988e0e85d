package io.rollforward.proxy.health;

import io.netty.channel.EventLoopGroup;
import io.rollforward.config.CheckConfig;
import io.rollforward.config.HostPort;
import io.rollforward.proxy.transport.Transport;
import io.rollforward.proxy.replica.Replica;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * ldirectord-style active checks: every {@code interval}, {@code GET request} on each replica that
 * has a {@code check}; a pass is the expected status and, if {@code receive} is set, a body that
 * contains it. {@code fall} failures in a row mark the replica DOWN, {@code rise} passes in a row
 * mark it UP again. A pass streak of {@code rise} also lifts a passive (outlier) ejection, so a
 * replica ejected for failing requests comes back once it demonstrably serves its test page.
 *
 * <p>Each check is one {@link CheckRequest} on the checks' own event loop (one thread, started
 * with the first check; never a loop that serves clients), sending {@code check.host} as
 * {@code Host} when set; verdicts are handled on the health scheduler.
 */
final class ActiveChecker implements AutoCloseable {
    private final ScheduledExecutorService scheduler;
    private final Transport transport = Transport.best();
    private final Map<Replica, ScheduledFuture<?>> tasks = new HashMap<>();
    private EventLoopGroup loop;

    ActiveChecker(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    synchronized void watch(ReplicaHealth health, CheckConfig check) {
        if (loop == null) {
            loop = transport.newGroup(1);
        }
        Probe probe = new Probe(health, check);
        ScheduledFuture<?> before = tasks.put(health.replica(),
                scheduler.scheduleWithFixedDelay(probe::run, 0, check.interval().toMillis(), TimeUnit.MILLISECONDS));
        if (before != null) {
            before.cancel(false);
        }
    }

    /** Stops checking {@code replica} (retired by a reload, or its check changed or went away). */
    synchronized void unwatch(Replica replica) {
        ScheduledFuture<?> task = tasks.remove(replica);
        if (task != null) {
            task.cancel(false);
        }
    }

    private final class Probe {
        private final ReplicaHealth health;
        private final CheckConfig check;
        private final HostPort address;
        private final String host;
        private final AtomicBoolean running = new AtomicBoolean();
        private int passes;
        private int failures;
        private int ejectionsSeen;

        Probe(ReplicaHealth health, CheckConfig check) {
            this.health = health;
            this.check = check;
            this.address = health.replica().config().address();
            this.host = check.host().orElse(address.toString());
        }

        void run() {
            if (!running.compareAndSet(false, true)) {
                return; // the previous probe is still waiting for its timeout
            }
            CheckRequest.send(loop, transport.socketChannel(), address, host, check.request(), check.timeout())
                    .whenCompleteAsync((response, error) -> {
                        running.set(false);
                        String failure = error != null ? describe(error) : verdict(response);
                        if (failure == null) {
                            pass();
                        } else {
                            fail(failure);
                        }
                    }, scheduler);
        }

        private String verdict(CheckRequest.Answer response) {
            if (response.status() != check.expectStatus()) {
                return "GET " + check.request() + " answered " + response.status() + " (expected " + check.expectStatus() + ")";
            }
            if (check.receive().isPresent() && !response.body().contains(check.receive().get())) {
                return "GET " + check.request() + " body lacks \"" + check.receive().get() + "\"";
            }
            return null;
        }

        private void pass() {
            failures = 0;
            int ejections = health.passiveEjections();
            if (ejections != ejectionsSeen) {
                ejectionsSeen = ejections;
                passes = 0; // only passes after the ejection count towards lifting it
            }
            passes++;
            if (passes >= check.rise()) {
                health.report(HealthSource.ACTIVE_CHECK, true, passes + " checks passed");
                if (health.isDownBy(HealthSource.PASSIVE)) {
                    health.report(HealthSource.PASSIVE, true, "active check passed " + passes + " times since the ejection");
                }
            }
        }

        private void fail(String why) {
            passes = 0;
            failures++;
            if (failures >= check.fall()) {
                health.report(HealthSource.ACTIVE_CHECK, false, why + " (" + failures + " in a row)");
            }
        }

        private String describe(Throwable error) {
            Throwable t = error.getCause() != null ? error.getCause() : error;
            String m = t.getMessage();
            return "GET " + check.request() + " failed: " + t.getClass().getSimpleName() + (m == null ? "" : " " + m);
        }
    }

    @Override
    public synchronized void close() {
        tasks.values().forEach(t -> t.cancel(false));
        if (loop != null) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
