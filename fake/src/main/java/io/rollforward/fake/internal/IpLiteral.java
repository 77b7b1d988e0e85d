package io.rollforward.fake.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses an IP address literal without ever asking DNS: a VIP given as a host name is a config
 * mistake, and a lookup at failover time would be a hang waiting to happen.
 */
public final class IpLiteral {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiteral() {
    }

    /** @throws IllegalArgumentException with the value and what was expected */
    public static InetAddress parse(String text) {
        if (text != null && (IPV4.matcher(text).matches() || (text.indexOf(':') >= 0 && IPV6.matcher(text).matches()))) {
            try {
                // A literal never triggers a lookup (InetAddress#getByName javadoc).
                return InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                // fall through: malformed IPv6 literal
            }
        }
        throw new IllegalArgumentException("vip.address: " + text + " (expected: an IPv4 or IPv6 address literal)");
    }
}
