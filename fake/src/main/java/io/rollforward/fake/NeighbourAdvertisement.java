package io.rollforward.fake;

import io.rollforward.fake.internal.NeighbourAdvertFrame;
import io.rollforward.fake.internal.PcapFrameSender;
import java.net.Inet6Address;
import java.util.function.Supplier;

/**
 * Sends unsolicited neighbour advertisements for an IPv6 VIP (RFC 4861 section 7.2.6), the IPv6
 * counterpart of {@link GratuitousArp}: neighbours holding an entry for the VIP learn our MAC.
 * Through libpcap only (there is no arping for NA); without libpcap {@link #preflight()} says so
 * at start-up. The VIP is added with {@code nodad} ({@link VirtualAddress}), so it is usable at
 * once rather than after duplicate address detection. Thread-safe.
 */
public final class NeighbourAdvertisement implements AddressAnnouncement {
    private final String iface;
    private final Inet6Address vip;
    private final Supplier<PcapFrameSender> opener;
    private PcapFrameSender sender;

    public NeighbourAdvertisement(String iface, Inet6Address vip) {
        this.iface = iface;
        this.vip = vip;
        this.opener = () -> PcapFrameSender.open(iface);
    }

    @Override
    public synchronized void preflight() {
        sender();
    }

    @Override
    public synchronized void announce() {
        PcapFrameSender s = sender();
        s.send(NeighbourAdvertFrame.encode(s.mac(), vip), "neighbour advertisement for " + vip.getHostAddress());
    }

    @Override
    public synchronized String transport() {
        return sender == null ? "none" : "pcap";
    }

    @Override
    public synchronized void close() {
        if (sender != null) {
            sender.close();
            sender = null;
        }
    }

    private PcapFrameSender sender() {
        if (sender == null) {
            try {
                sender = opener.get();
            } catch (LinkageError e) {
                throw new VipException("cannot send neighbour advertisements for " + vip.getHostAddress() + " on '"
                        + iface + "': libpcap cannot be loaded (" + e + "; install libpcap0.8)", e);
            }
        }
        return sender;
    }
}
