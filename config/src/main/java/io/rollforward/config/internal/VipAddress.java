package io.rollforward.config.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * A VIP as {@code address/prefix} ({@code 192.0.2.100/24}), the form {@code ip addr add} takes.
 * The prefix is required: without it the kernel would assume /32 and the VIP's subnet route would
 * be missing. IPv6 VIPs ({@code 2001:db8::100/64}) are announced with unsolicited neighbour
 * advertisements by the {@code fake} module; a link-local one is refused (it needs a zone, and
 * every interface already has its own).
 */
record VipAddress(String address, int prefix) {
    static final ScalarType<VipAddress> TYPE = new ScalarType<>(
            "an address/prefix, e.g. 192.0.2.100/24 or 2001:db8::100/64", VipAddress::parse);

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
        int max = ip.get() instanceof Inet4Address ? 32 : 128;
        if (prefix < 1 || prefix > max || ip.get().isLinkLocalAddress()) {
            throw new IllegalArgumentException(text);
        }
        if (ip.get().isMulticastAddress() || ip.get().isAnyLocalAddress() || ip.get().isLoopbackAddress()) {
            throw new IllegalArgumentException(text);
        }
        return new VipAddress(address, prefix);
    }
}
