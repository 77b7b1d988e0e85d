package io.rollforward.proxy.exchange;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.rollforward.proxy.replica.ReplyHead;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the headers that describe one connection rather than the message
 * (<a href="https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1">RFC 9110 §7.6.1</a>): Connection
 * and every header it names, plus Proxy-Connection, Keep-Alive, TE, Transfer-Encoding and Upgrade.
 * The proxy frames each hop itself.
 */
final class HopByHopHeaders {
    private static final List<AsciiString> FIXED = ReplyHead.HOP_BY_HOP;

    private HopByHopHeaders() {
    }

    /** Removes the hop-by-hop headers of a request (a reply's are skipped as its head is read: {@code ReplyHead}). */
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
