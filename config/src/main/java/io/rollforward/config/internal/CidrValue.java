package io.rollforward.config.internal;

import io.rollforward.config.CidrBlock;

import java.net.InetAddress;

/**
 * {@code address/prefix} as {@code ip route} writes it ({@code 10.0.0.0/8}, {@code fd00::/8}), or
 * a bare address for a block of one. The address is an IP literal: reading it never does a DNS
 * lookup. Host bits set ({@code 10.0.0.1/8}) are refused: they usually mean a typo.
 */
final class CidrValue {
    private CidrValue() {
    }

    static CidrBlock parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress ip = IpLiteral.parse(address).orElseThrow(() -> new IllegalArgumentException(text));
        int bits = ip.getAddress().length * 8;
        int prefix = slash < 0 ? bits : HostPortValue.port(text.substring(slash + 1), 0, text);
        if (prefix > bits) {
            throw new IllegalArgumentException(text);
        }
        CidrBlock block = new CidrBlock(ip, prefix);
        if (!block.network().equals(ip)) {
            throw new IllegalArgumentException(text);
        }
        return block;
    }
}
