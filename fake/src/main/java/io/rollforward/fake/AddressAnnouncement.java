package io.rollforward.fake;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Tells the neighbours that a VIP now lives at our MAC: {@link GratuitousArp} for IPv4,
 * {@link NeighbourAdvertisement} for IPv6. Blocking (opens a device, may start processes): call
 * from your own thread, never from an event loop.
 */
public interface AddressAnnouncement extends AutoCloseable {

    /** Checks at start-up that announcements can be sent; throws {@link VipException} saying what is missing. */
    void preflight();

    /** Sends one announcement (every form the family has). */
    void announce();

    /** How announcements are sent, for logs: {@code pcap}, {@code arping}, {@code none} before preflight. */
    String transport();

    @Override
    void close();

    /** The announcement for {@code vip}'s address family on {@code iface}. */
    static AddressAnnouncement forVip(String iface, InetAddress vip) {
        if (vip instanceof Inet4Address v4) {
            return new GratuitousArp(iface, v4);
        }
        return new NeighbourAdvertisement(iface, (Inet6Address) vip);
    }
}
