package io.rollforward.config.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * A VIP as {@code address/prefix} ({@code 192.0.2.100/24}), the form {@code ip addr add} takes.
 * The prefix is required: without it the kernel would assume /32 and the VIP's subnet route would
 * be missing. IPv4 only: taking over an IPv6 address needs unsolicited neighbour advertisements,
 * which the {@code fake} module does not send yet, so such a VIP is refused here rather than at
 * failover time.
 */
record VipAddress(String address, int prefix) {
    static final ScalarType<VipAddress> TYPE = new ScalarType<>(
            "an IPv4 address/prefix, e.g. 192.0.2.100/24; IPv6 VIPs are not supported yet", VipAddress::parse);

    static VipAddress parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(text);
        }
        String address = text.substring(0, slash);
        String digits = text.substring(slash + 1);
        Optional<InetAddress> ip = IpLiteral.parse(address);
        if (ip.isEmpty() || digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(text);
        }
        int prefix = Integer.parseInt(digits);
        if (!(ip.get() instanceof Inet4Address) || prefix < 1 || prefix > 32) {
            throw new IllegalArgumentException(text);
        }
        if (ip.get().isMulticastAddress() || ip.get().isAnyLocalAddress() || ip.get().isLoopbackAddress()) {
            throw new IllegalArgumentException(text);
        }
        return new VipAddress(address, prefix);
    }
}
