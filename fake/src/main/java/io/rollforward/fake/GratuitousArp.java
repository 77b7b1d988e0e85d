package io.rollforward.fake;

import io.rollforward.fake.internal.ArpTransmitter;
import io.rollforward.fake.internal.ArpingArpTransmitter;
import io.rollforward.fake.internal.PcapArpTransmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Sends gratuitous ARP for the VIP on one interface, in both forms (see {@link GarpForm}), so
 * neighbours and the switch learn that the VIP now lives at our MAC (the "fake" takeover of the
 * roll-forward paper; keepalived {@code vrrp_arp.c} does the same job).
 *
 * <p>Transport: libpcap through Pcap4J. When libpcap cannot be loaded it falls back to iputils
 * {@code arping} ({@code -U} / {@code -A}), logging the fallback once; arping needs the VIP
 * assigned first, which {@link VipOwner} guarantees. Call {@link #preflight()} at start-up so
 * that neither working shows up then, not at failover.
 *
 * <p>Blocking (opens a device, may start processes): call from your own thread, never from an
 * event loop. Thread-safe.
 */
public final class GratuitousArp implements AddressAnnouncement {
    private static final Logger log = LoggerFactory.getLogger(GratuitousArp.class);
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private final String iface;
    private final Inet4Address vip;
    private final Supplier<ArpTransmitter> pcap;
    private final Supplier<ArpingArpTransmitter> arping;
    private ArpTransmitter transmitter;

    /** Production wiring: pcap first, arping as fallback. */
    public GratuitousArp(String iface, Inet4Address vip) {
        this(iface, vip, List.of());
    }

    /**
     * @param arpingWrapper prefix for the arping fallback command (empty in production; tests
     *                      pass {@code ip netns exec NS})
     */
    public GratuitousArp(String iface, Inet4Address vip, List<String> arpingWrapper) {
        this(iface, vip, () -> PcapArpTransmitter.open(iface, vip),
                () -> new ArpingArpTransmitter(iface, vip.getHostAddress(), arpingWrapper));
    }

    GratuitousArp(String iface, Inet4Address vip, Supplier<ArpTransmitter> pcap, Supplier<ArpingArpTransmitter> arping) {
        this.iface = iface;
        this.vip = vip;
        this.pcap = pcap;
        this.arping = arping;
    }

    /**
     * Picks and checks the transport: opens the interface with libpcap, or, when libpcap cannot
     * be loaded, checks that arping runs.
     *
     * @throws VipException naming the interface and what is missing when neither way works
     */
    @Override
    public synchronized void preflight() {
        transmitter();
    }

    /** Sends one packet of each form: request, then reply. */
    @Override
    public void announce() {
        send(GarpForm.REQUEST);
        send(GarpForm.REPLY);
    }

    /** Sends one gratuitous ARP of the given form. */
    public synchronized void send(GarpForm form) {
        transmitter().send(form);
    }

    /** {@code pcap} or {@code arping}, once chosen; {@code none} before {@link #preflight()}. */
    @Override
    public synchronized String transport() {
        return transmitter == null ? "none" : transmitter.kind();
    }

    /** Releases the pcap handle (or waits briefly for arping runs in flight). Reopens on next use. */
    @Override
    public synchronized void close() {
        if (transmitter != null) {
            transmitter.close();
            transmitter = null;
        }
    }

    private ArpTransmitter transmitter() {
        if (transmitter == null) {
            transmitter = choose();
        }
        return transmitter;
    }

    private ArpTransmitter choose() {
        LinkageError pcapMissing;
        try {
            return pcap.get();
        } catch (LinkageError e) {
            // UnsatisfiedLinkError on first use, NoClassDefFoundError after: libpcap0.8 (or JNA) missing.
            pcapMissing = e;
        }
        ArpingArpTransmitter fallback = arping.get();
        try {
            fallback.preflight();
        } catch (VipException e) {
            throw new VipException("cannot send gratuitous ARP for " + vip.getHostAddress() + " on '" + iface
                    + "': libpcap cannot be loaded (" + pcapMissing + "; install libpcap0.8) and the arping fallback "
                    + "does not work either (" + e.getMessage() + ")", e);
        }
        if (FALLBACK_LOGGED.compareAndSet(false, true)) {
            log.warn("libpcap cannot be loaded ({}); sending gratuitous ARP with arping instead", pcapMissing.toString());
        }
        return fallback;
    }
}
