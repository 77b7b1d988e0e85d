package io.rollforward.config.internal;

import io.rollforward.config.HostPort;

/**
 * {@code host:port} with an IPv6 literal in brackets ({@code [::1]:8080}), as in a URL
 * authority (RFC 3986 section 3.2.2). The brackets are not kept in {@link HostPort#host()}.
 */
final class HostPortValue {
    private HostPortValue() {
    }

    /**
     * @param minPort 0 where an ephemeral port makes sense (a listen address in tests), else 1
     * @throws IllegalArgumentException if malformed
     */
    static HostPort parse(String text, int minPort) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException(text);
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            if (!IpLiteral.isIpv6(host)) {
                throw new IllegalArgumentException(text);
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) { // a bare IPv6 literal needs brackets
                throw new IllegalArgumentException(text);
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (!HostName.isValid(host)) {
                throw new IllegalArgumentException(text);
            }
        }
        return new HostPort(host, port(port, minPort, text));
    }

    static int port(String digits, int minPort, String whole) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(whole);
        }
        int port = Integer.parseInt(digits);
        if (port < minPort || port > 65535) {
            throw new IllegalArgumentException(whole);
        }
        return port;
    }
}
