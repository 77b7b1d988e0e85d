package io.rollforward.config.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 dotted quad or an IPv6 address written as a literal. Checked by hand before
 * {@link InetAddress#getByName} is called, so that loading a config never does a DNS lookup
 * (and {@code fake/} never does one at failover time: a lookup there would be a hang waiting to
 * happen). The one parser of IP literals in the project.
 */
public final class IpLiteral {
    private IpLiteral() {
    }

    /** The address, or empty when {@code text} is not a literal (a host name, a malformed one). */
    public static Optional<InetAddress> parse(String text) {
        if (text == null || (!isIpv4(text) && !isIpv6(text))) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text)); // a checked literal: no lookup
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * The address of a setting that must be a literal.
     *
     * @throws IllegalArgumentException {@code key: text (expected: an IPv4 or IPv6 address literal)}
     */
    public static InetAddress require(String text, String key) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                key + ": " + text + " (expected: an IPv4 or IPv6 address literal)"));
    }

    /** Four decimal octets 0..255 without leading zeros (inet_aton would read 010 as octal 8). */
    static boolean isIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || (part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** RFC 4291 section 2.2 text forms: eight groups, one "::", an IPv4 tail; no zone id. */
    static boolean isIpv6(String text) {
        if (text.isEmpty() || text.indexOf(':') < 0) {
            return false;
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        int groups = countGroups(head, doubleColon < 0 || tail.isEmpty());
        int tailGroups = doubleColon >= 0 ? countGroups(tail, true) : 0;
        if (groups < 0 || tailGroups < 0) {
            return false;
        }
        int total = groups + tailGroups;
        return doubleColon >= 0 ? total <= 7 : total == 8;
    }

    /** Groups in a colon-separated run, an IPv4 tail counting two; -1 if malformed. */
    private static int countGroups(String run, boolean mayEndInIpv4) {
        if (run.isEmpty()) {
            return 0;
        }
        String[] parts = run.split(":", -1);
        int count = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && mayEndInIpv4 && part.indexOf('.') >= 0) {
                if (!isIpv4(part)) {
                    return -1;
                }
                count += 2;
            } else if (part.isEmpty() || part.length() > 4
                    || !part.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return -1;
            } else {
                count++;
            }
        }
        return count;
    }
}
