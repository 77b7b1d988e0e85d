package io.rollforward.fake.internal;

import io.rollforward.fake.GarpForm;

import java.net.Inet4Address;

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
        byte[] frame = new byte[MIN_FRAME];
        int p = 0;
        p = put(frame, p, BROADCAST);
        p = put(frame, p, senderMac);
        p = putShort(frame, p, ETHERTYPE_ARP);
        p = putShort(frame, p, 1);          // hardware type: Ethernet
        p = putShort(frame, p, 0x0800);     // protocol type: IPv4
        frame[p++] = 6;                     // hardware address length
        frame[p++] = 4;                     // protocol address length
        p = putShort(frame, p, form.opcode());
        p = put(frame, p, senderMac);
        p = put(frame, p, ip);
        p = put(frame, p, form == GarpForm.REPLY ? senderMac : new byte[6]);
        p = put(frame, p, ip);
        assert p == ETHERNET_HEADER + ARP_LENGTH;
        return frame;
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

    private static int put(byte[] frame, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, frame, at, bytes.length);
        return at + bytes.length;
    }

    private static int putShort(byte[] frame, int at, int value) {
        frame[at] = (byte) (value >>> 8);
        frame[at + 1] = (byte) value;
        return at + 2;
    }
}
