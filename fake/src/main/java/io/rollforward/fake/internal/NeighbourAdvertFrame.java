package io.rollforward.fake.internal;

import java.net.Inet6Address;
import java.nio.ByteBuffer;

/**
 * Encodes one unsolicited neighbour advertisement (RFC 4861 sections 4.4 and 7.2.6) as a raw
 * Ethernet frame: to all nodes (ff02::1, 33:33:00:00:00:01), from the VIP, hop limit 255,
 * flags Override set and Solicited clear, target = the VIP, option Target Link-Layer Address =
 * our MAC. A neighbour with an entry for the VIP replaces its link-layer address and marks it
 * STALE (section 7.2.5), which is how IPv6 moves a VIP. No I/O: the layout is tested as bytes.
 */
public final class NeighbourAdvertFrame {
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ICMPV6 = 58;
    public static final int NEIGHBOR_ADVERTISEMENT = 136;
    private static final int ETHERNET_HEADER = 14;
    private static final int IPV6_HEADER = 40;
    /** Type, code, checksum, flags + reserved, target address; then one 8-byte option. */
    private static final int ICMP_LENGTH = 4 + 4 + 16 + 8;
    private static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};
    private static final byte[] ALL_NODES = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final int OVERRIDE = 0x20;

    private NeighbourAdvertFrame() {
    }

    /**
     * @param senderMac our interface's 6-byte MAC
     * @param vip       the virtual IPv6 address: source and target
     */
    public static byte[] encode(byte[] senderMac, Inet6Address vip) {
        if (senderMac.length != 6) {
            throw new IllegalArgumentException("sender MAC: " + senderMac.length + " bytes (expected: 6)");
        }
        byte[] ip = vip.getAddress();
        ByteBuffer frame = ByteBuffer.allocate(ETHERNET_HEADER + IPV6_HEADER + ICMP_LENGTH); // big-endian
        frame.put(ALL_NODES_MAC).put(senderMac).putShort((short) ETHERTYPE_IPV6)
                .putInt(0x60000000)             // version 6, traffic class 0, flow label 0
                .putShort((short) ICMP_LENGTH)  // payload length
                .put((byte) ICMPV6)             // next header
                .put((byte) 255)                // hop limit: RFC 4861 7.1.2 drops anything else
                .put(ip).put(ALL_NODES);
        int icmp = frame.position();
        frame.put((byte) NEIGHBOR_ADVERTISEMENT)
                .put((byte) 0)                  // code
                .putShort((short) 0)            // checksum, below
                .putInt(OVERRIDE << 24)         // R=0, S=0 (unsolicited), O=1, reserved
                .put(ip)                        // target address
                .put((byte) 2)                  // option: target link-layer address
                .put((byte) 1)                  // length in units of 8 bytes
                .put(senderMac);
        assert frame.position() == frame.capacity();
        frame.putShort(icmp + 2, (short) checksum(ip, ALL_NODES, frame.array(), icmp, ICMP_LENGTH));
        return frame.array();
    }

    /** RFC 4443 section 2.3: one's complement sum over the IPv6 pseudo-header and the message. */
    static int checksum(byte[] source, byte[] destination, byte[] frame, int offset, int length) {
        long sum = 0;
        sum += sum16(source, 0, 16) + sum16(destination, 0, 16);
        sum += length + ICMPV6;                 // upper-layer length (32 bit) and next header (32 bit)
        sum += sum16(frame, offset, length);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static long sum16(byte[] bytes, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = bytes[offset + i] & 0xff;
            int low = i + 1 < length ? bytes[offset + i + 1] & 0xff : 0;
            sum += (high << 8) | low;
        }
        return sum;
    }
}
