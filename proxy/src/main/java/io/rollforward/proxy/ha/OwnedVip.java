package io.rollforward.proxy.ha;

import io.rollforward.config.VipConfig;
import io.rollforward.config.internal.IpLiteral;
import io.rollforward.fake.AddressAnnouncement;
import io.rollforward.fake.VipOwner;
import io.rollforward.fake.VirtualAddress;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The production {@link VipHolder}: a {@link VipOwner} (address + announcement bursts on its own
 * thread: gratuitous ARP for IPv4, unsolicited neighbour advertisements for IPv6), plus
 * {@link #reannounce()} for one extra announcement through the same sender.
 */
final class OwnedVip implements VipHolder {
    private final VipOwner owner;
    private final AddressAnnouncement garp;
    private final String display;
    private final ExecutorService announcer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rollforward-vip-reannounce");
        t.setDaemon(true);
        return t;
    });

    private OwnedVip(VipOwner owner, AddressAnnouncement garp, String display) {
        this.owner = owner;
        this.garp = garp;
        this.display = display;
    }

    /** @throws IllegalArgumentException naming the bad setting */
    static OwnedVip create(VipConfig config) {
        InetAddress vip = IpLiteral.require(config.address(), "vip.address");
        AddressAnnouncement garp = AddressAnnouncement.forVip(config.iface(), vip);
        VipOwner owner = new VipOwner(new VirtualAddress(config.iface(), vip, config.prefix()), garp, config.garp());
        return new OwnedVip(owner, garp, config.address() + "/" + config.prefix());
    }

    @Override
    public void preflight() {
        owner.preflight();
    }

    @Override
    public CompletableFuture<Void> acquire() {
        return owner.acquire();
    }

    @Override
    public CompletableFuture<Void> release() {
        return owner.release();
    }

    @Override
    public CompletableFuture<Void> reannounce() {
        return CompletableFuture.runAsync(() -> {
            if (owner.isHeld()) {
                garp.announce();
            }
        }, announcer);
    }

    @Override
    public boolean isHeld() {
        return owner.isHeld();
    }

    @Override
    public Optional<String> address() {
        return Optional.of(display);
    }

    @Override
    public void close() {
        announcer.shutdownNow();
        owner.close(); // also closes the shared GratuitousArp
    }
}
