package io.rollforward.fake.internal;

import io.rollforward.fake.GarpForm;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * Encodes one gratuitous ARP as a raw Ethernet frame (RFC 826 layout over Ethernet II).
 * Nothing else: no I/O, so the byte layout is tested without a network.
 */
public final class ArpFrame {
    /** Ethernet II minimum frame without FCS; short frames are padded with zeros. */
    public static final int MIN_FRAME = 60;
    public static final int ETHERTYPE_ARP = 0x0806;
    private static final int ETHERNET_HEADER = 14;
    private static final int ARP_LENGTH = 28;
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    private ArpFrame() {
    }

    /**
     * @param form      request (target MAC zero) or reply (target MAC = own MAC)
     * @param senderMac our interface's 6-byte MAC
     * @param vip       the virtual IP, written as both sender and target protocol address
     */
    public static byte[] encode(GarpForm form, byte[] senderMac, Inet4Address vip) {
        if (senderMac.length != 6) {
            throw new IllegalArgumentException("sender MAC: " + senderMac.length + " bytes (expected: 6)");
        }
        byte[] ip = vip.getAddress();
        ByteBuffer frame = ByteBuffer.allocate(MIN_FRAME); // big-endian, zero-filled: the padding
        frame.put(BROADCAST).put(senderMac).putShort((short) ETHERTYPE_ARP)
                .putShort((short) 1)            // hardware type: Ethernet
                .putShort((short) 0x0800)       // protocol type: IPv4
                .put((byte) 6)                  // hardware address length
                .put((byte) 4)                  // protocol address length
                .putShort((short) form.opcode())
                .put(senderMac).put(ip)
                .put(form == GarpForm.REPLY ? senderMac : new byte[6]).put(ip);
        assert frame.position() == ETHERNET_HEADER + ARP_LENGTH;
        return frame.array();
    }

    /** Formats a MAC as {@code aa:bb:cc:dd:ee:ff}, the way {@code ip neigh} prints it. */
    public static String formatMac(byte[] mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < mac.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", mac[i] & 0xff));
        }
        return sb.toString();
    }
}
