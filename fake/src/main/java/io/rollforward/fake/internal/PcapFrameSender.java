package io.rollforward.fake.internal;

import io.rollforward.fake.VipException;
import java.net.NetworkInterface;
import java.net.SocketException;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;
import org.pcap4j.util.LinkLayerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes raw Ethernet frames on one interface through libpcap (Pcap4J): what gratuitous ARP and
 * unsolicited neighbour advertisements are sent with. Raw, so it works before the VIP is
 * assigned. Needs CAP_NET_RAW.
 *
 * <p>{@link #open} loads libpcap; when it cannot be loaded the JVM throws a {@link LinkageError}
 * ({@code UnsatisfiedLinkError}, later {@code NoClassDefFoundError}), which {@code open} lets
 * through so the caller can fall back (to {@code arping} for ARP).
 */
public final class PcapFrameSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PcapFrameSender.class);
    private static final int SNAPLEN = 128;
    private static final int READ_TIMEOUT_MS = 10;

    private final PcapNetworkInterface device;
    private final byte[] mac;
    private PcapHandle handle;

    private PcapFrameSender(PcapNetworkInterface device, byte[] mac) {
        this.device = device;
        this.mac = mac;
    }

    /**
     * Finds the interface, learns its MAC and opens a send handle, so missing permissions show up
     * now and not at failover.
     *
     * @throws LinkageError when libpcap (or JNA) cannot be loaded
     * @throws VipException when the interface is unknown, has no MAC or cannot be opened
     */
    public static PcapFrameSender open(String iface) {
        PcapNetworkInterface device;
        try {
            device = Pcaps.getDevByName(iface);
        } catch (PcapNativeException e) {
            throw new VipException("libpcap cannot list interfaces to find '" + iface + "': " + e.getMessage(), e);
        }
        if (device == null) {
            throw new VipException("interface '" + iface + "' not found (libpcap does not list it)");
        }
        PcapFrameSender sender = new PcapFrameSender(device, macOf(device, iface));
        sender.handle();
        return sender;
    }

    /** Sends one frame; {@code what} names it in the error. */
    public synchronized void send(byte[] frame, String what) {
        try {
            handle().sendPacket(frame);
        } catch (PcapNativeException | NotOpenException e) {
            // A handle can go stale when the link is re-created; reopen on the next send.
            closeHandle();
            throw new VipException("pcap send of " + what + " on '" + device.getName() + "' failed: " + e.getMessage(), e);
        }
    }

    /** Our MAC on the interface, as written into the frames. */
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public synchronized void close() {
        closeHandle();
    }

    private PcapHandle handle() {
        if (handle == null || !handle.isOpen()) {
            try {
                handle = device.openLive(SNAPLEN, PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS, READ_TIMEOUT_MS);
            } catch (PcapNativeException e) {
                String why = e.getMessage() == null ? "" : e.getMessage();
                String hint = why.contains("Operation not permitted") || why.contains("ermission")
                        ? " (raw sends need CAP_NET_RAW: run as root or grant the capability)" : "";
                throw new VipException("cannot open '" + device.getName() + "' with libpcap: " + why + hint, e);
            }
        }
        return handle;
    }

    private void closeHandle() {
        if (handle != null) {
            handle.close();
            handle = null;
        }
    }

    private static byte[] macOf(PcapNetworkInterface device, String iface) {
        for (LinkLayerAddress address : device.getLinkLayerAddresses()) {
            if (address.length() == 6) {
                return address.getAddress();
            }
        }
        try {
            NetworkInterface ni = NetworkInterface.getByName(iface);
            byte[] mac = ni == null ? null : ni.getHardwareAddress();
            if (mac != null && mac.length == 6) {
                return mac;
            }
        } catch (SocketException e) {
            log.debug("no MAC for {} from java.net: {}", iface, e.toString());
        }
        throw new VipException("interface '" + iface + "' has no Ethernet MAC address; announcing a VIP needs one");
    }
}
