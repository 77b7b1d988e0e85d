package io.rollforward.fake;

import io.rollforward.config.GarpConfig;
import io.rollforward.config.VipConfig;
import io.rollforward.config.internal.IpLiteral;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the proxy calls on role changes: {@link #acquire()} when this node becomes ACTIVE (add
 * the VIP, then announce it with gratuitous ARP), {@link #release()} when it stops being ACTIVE
 * (stop announcing, remove the VIP). Heartbeat's IPaddr + SendArp resources, in one object.
 *
 * <p>Both are idempotent and safe from any thread, including an event loop: the work runs on
 * this owner's single thread ("rollforward-vip"), in call order, and the returned future
 * completes there. A failure completes the future exceptionally with a {@link VipException}.
 */
public final class VipOwner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VipOwner.class);
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final VirtualAddress address;
    private final AddressAnnouncement garp;
    private final ScheduledExecutorService executor;
    private final ArpAnnouncer announcer;
    private volatile boolean held;

    /**
     * Wires the real thing from config: gratuitous ARP for an IPv4 VIP, unsolicited neighbour
     * advertisements (RFC 4861 section 7.2.6) for an IPv6 one; {@code garp} paces both.
     *
     * @throws IllegalArgumentException naming the bad setting
     */
    public static VipOwner create(VipConfig config) {
        InetAddress vip = IpLiteral.require(config.address(), "vip.address");
        return new VipOwner(new VirtualAddress(config.iface(), vip, config.prefix()),
                AddressAnnouncement.forVip(config.iface(), vip), config.garp());
    }

    /** For tests and tools that build the parts themselves (e.g. inside a namespace). */
    public VipOwner(VirtualAddress address, AddressAnnouncement garp, GarpConfig garpConfig) {
        this.address = address;
        this.garp = garp;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rollforward-vip");
            t.setDaemon(true);
            return t;
        });
        this.announcer = new ArpAnnouncer(garpConfig, garp::announce, executor);
    }

    /**
     * Checks at start-up, on the caller's thread (blocking, not on an event loop), that the VIP
     * can be handled here: {@code ip} runs and the interface exists, and gratuitous ARP can be
     * sent (libpcap, else arping).
     *
     * @throws VipException saying what is missing
     */
    public void preflight() {
        address.preflight();
        garp.preflight();
        log.info("VIP {} ready: {} via {}", address, garp instanceof GratuitousArp ? "gratuitous ARP"
                : "neighbour advertisements", garp.transport());
    }

    /** Adds the VIP and starts announcing it (once per hold). Completes when the address is in place. */
    public CompletableFuture<Void> acquire() {
        return CompletableFuture.runAsync(() -> {
            // Always (re)add: idempotent, and it repairs an address someone removed under us.
            address.add();
            if (!held) {
                held = true;
                announcer.start();
                log.info("VIP {} acquired", address);
            }
        }, executor);
    }

    /** Stops announcing and removes the VIP. Completes when the address is gone. */
    public CompletableFuture<Void> release() {
        return CompletableFuture.runAsync(() -> {
            announcer.stop();
            // Remove even when we think we do not hold it: a crashed earlier run may have left it.
            address.remove();
            boolean was = held;
            held = false;
            if (was) {
                log.info("VIP {} released", address);
            }
        }, executor);
    }

    /** Whether the last completed acquire/release left us holding the VIP. */
    public boolean isHeld() {
        return held;
    }

    public VirtualAddress address() {
        return address;
    }

    /**
     * Releases the VIP (waits up to 10s) and stops the thread. For a graceful stop the design
     * releases the VIP first, so the peer can take it at once.
     */
    @Override
    public void close() {
        try {
            release().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            log.warn("releasing VIP {} on close failed: {}", address, e.getCause().getMessage());
        } catch (TimeoutException e) {
            log.warn("releasing VIP {} on close did not finish within {}s", address, CLOSE_WAIT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
            garp.close();
        }
    }
}
