package io.rollforward.proxy.exchange;

import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetAddress;

/**
 * A client address as text ({@code 192.0.2.7}, {@code 2001:db8::1}), for {@code X-Forwarded-For}
 * and the access log. Formatting it is not free and one connection sends many requests, so each
 * event loop remembers its last address and its text.
 */
final class AddressText {
    private static final FastThreadLocal<Object[]> LAST = new FastThreadLocal<>() {
        @Override
        protected Object[] initialValue() {
            return new Object[2];
        }
    };

    private AddressText() {
    }

    static String of(InetAddress address) {
        Object[] last = LAST.get();
        if (!address.equals(last[0])) {
            last[0] = address;
            last[1] = address.getHostAddress();
        }
        return (String) last[1];
    }
}
