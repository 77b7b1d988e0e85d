package io.rollforward.config;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A block of IP addresses, {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a block of
 * one ({@code /32}, {@code /128}). An IPv4 block never contains an IPv6 address and the reverse.
 *
 * @param network      the block's first address (host bits zero)
 * @param prefixLength leading bits that must match, 0..32 (IPv4) or 0..128 (IPv6)
 */
public record CidrBlock(InetAddress network, int prefixLength) {
    public CidrBlock {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " (expected: 0.." + bits + ")");
        }
        network = masked(network, prefixLength);
    }

    /** Whether {@code address} is inside this block. */
    public boolean contains(InetAddress address) {
        return address.getAddress().length == network.getAddress().length
                && masked(address, prefixLength).equals(network);
    }

    private static InetAddress masked(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(bytes); // raw bytes: no lookup
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
