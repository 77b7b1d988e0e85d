package io.rollforward.fake.internal;

import io.rollforward.fake.GarpForm;
import java.net.Inet4Address;

/**
 * Sends gratuitous ARP frames through libpcap ({@link PcapFrameSender}). Works whether or not the
 * VIP is assigned yet, because the frame is written raw. Needs CAP_NET_RAW.
 */
public final class PcapArpTransmitter implements ArpTransmitter {
    private final PcapFrameSender sender;
    private final Inet4Address vip;

    private PcapArpTransmitter(PcapFrameSender sender, Inet4Address vip) {
        this.sender = sender;
        this.vip = vip;
    }

    /**
     * @throws LinkageError when libpcap (or JNA) cannot be loaded
     * @throws io.rollforward.fake.VipException when the interface is unknown, has no MAC or cannot be opened
     */
    public static PcapArpTransmitter open(String iface, Inet4Address vip) {
        return new PcapArpTransmitter(PcapFrameSender.open(iface), vip);
    }

    @Override
    public void send(GarpForm form) {
        sender.send(ArpFrame.encode(form, sender.mac(), vip), "gratuitous ARP " + form);
    }

    /** Our MAC on the interface, as written into the frames. */
    public byte[] mac() {
        return sender.mac();
    }

    @Override
    public String kind() {
        return "pcap";
    }

    @Override
    public void close() {
        sender.close();
    }
}
