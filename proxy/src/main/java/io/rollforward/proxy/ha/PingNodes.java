package io.rollforward.proxy.ha;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux-HA's ipfail: checks that this node still reaches at least one of the
 * {@code cluster.ping-nodes} (e.g. the gateway), so a node cut off from the network never takes
 * the VIP. {@link InetAddress#isReachable} sends ICMP echo when the process may open raw sockets
 * (root, CAP_NET_RAW), else tries TCP port 7. Runs on its own thread, never on an event loop;
 * each verdict goes to the consumer, which hands it to the event loop.
 */
final class PingNodes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PingNodes.class);

    private final List<String> hosts;
    private final Duration interval;
    private final int timeoutMillis;
    private final Consumer<Boolean> verdicts;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rollforward-ping-nodes");
        t.setDaemon(true);
        return t;
    });
    private Boolean last;

    /**
     * @param hosts    ping nodes, at least one
     * @param interval between checks
     * @param timeout  per host and check
     * @param verdicts true when at least one host answered; called on this object's thread
     */
    PingNodes(List<String> hosts, Duration interval, Duration timeout, Consumer<Boolean> verdicts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("ping-nodes: [] (expected: at least one host)");
        }
        this.hosts = List.copyOf(hosts);
        this.interval = Objects.requireNonNull(interval, "interval");
        this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
        this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
    }

    void start() {
        executor.scheduleWithFixedDelay(this::check, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void check() {
        boolean any = false;
        for (String host : hosts) {
            if (reachable(host)) {
                any = true;
                break;
            }
        }
        if (last == null || last != any) {
            if (any) {
                log.info("ping nodes {}: reachable", hosts);
            } else {
                log.warn("ping nodes {}: none answers; this node will not take over", hosts);
            }
            last = any;
        }
        try {
            verdicts.accept(any);
        } catch (RuntimeException e) {
            log.warn("ping node verdict not delivered: {}", e.toString());
        }
    }

    private boolean reachable(String host) {
        try {
            return InetAddress.getByName(host).isReachable(timeoutMillis);
        } catch (IOException e) {
            log.debug("ping node {}: {}", host, e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
