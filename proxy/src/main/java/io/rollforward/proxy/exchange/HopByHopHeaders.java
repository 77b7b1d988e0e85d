package io.rollforward.proxy.exchange;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the headers that describe one connection rather than the message
 * (<a href="https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1">RFC 9110 §7.6.1</a>): Connection
 * and every header it names, plus Proxy-Connection, Keep-Alive, TE, Transfer-Encoding and Upgrade.
 * The proxy frames each hop itself.
 */
final class HopByHopHeaders {
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    private static final List<AsciiString> FIXED = List.of(
            HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, PROXY_CONNECTION,
            HttpHeaderNames.TE, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE,
            HttpHeaderNames.TRAILER);

    private HopByHopHeaders() {
    }

    /** The header names a message's Connection header lists (usually none). */
    record Named(List<String> names) {
        static final Named NONE = new Named(List.of());

        boolean contains(CharSequence name) {
            for (String n : names) {
                if (AsciiString.contentEqualsIgnoreCase(n, name)) {
                    return true;
                }
            }
            return false;
        }
    }

    static Named namedBy(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
        if (values.isEmpty()) {
            return Named.NONE;
        }
        List<String> named = new ArrayList<>(2);
        for (String value : values) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (!name.isEmpty()) {
                    named.add(name);
                }
            }
        }
        return new Named(named);
    }

    /** Whether {@code name} describes the connection rather than the message. */
    static boolean isHopByHop(CharSequence name, Named named) {
        for (AsciiString fixed : FIXED) {
            if (fixed.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return named.contains(name);
    }

    /**
     * Whether a replica's reply header stays off the client's hop: hop-by-hop ones, the proxy's own
     * {@code servedBy} header (it writes its own), and a Content-Length on a 204 (RFC 9110 §8.6).
     */
    static boolean dropFromReply(CharSequence name, Named named, AsciiString servedBy, int status) {
        return isHopByHop(name, named) || (servedBy != null && servedBy.contentEqualsIgnoreCase(name))
                || (status == 204 && HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name));
    }

    static void strip(HttpHeaders headers) {
        List<String> named = new ArrayList<>(2);
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (!name.isEmpty()) {
                    named.add(name);
                }
            }
        }
        for (String name : named) {
            headers.remove(name);
        }
        for (AsciiString name : FIXED) {
            headers.remove(name);
        }
    }
}
