package io.rollforward.proxy.replica;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;

/**
 * What a parsed head's fields mean for the connection: the body's framing (RFC 9112 §6.3),
 * whether the replica keeps the connection open, and which fields are hop-by-hop (RFC 9110
 * §7.6.1: the fixed names and every name the Connection field lists).
 *
 * <pre>
 * HEAD request, 1xx, 204, 304     no body, whatever the fields say
 * Transfer-Encoding: chunked      chunked (a Content-Length beside it is ignored and dropped)
 * other Transfer-Encoding         refused (the proxy would forward a coding it removed the name of)
 * Content-Length: N               N bytes (equal repeated values accepted, differing ones refused)
 * neither                         until the replica closes the connection
 * </pre>
 */
final class ReplyFraming {
    private ReplyFraming() {
    }

    static ReplyHead decide(byte[] b, int status, int statusTextEnd, boolean http10, int[] fields, int count,
                            boolean headRequest) {
        boolean[] hop = new boolean[count];
        boolean close = false;
        boolean keepAliveToken = false;
        boolean chunked = false;
        long length = -1;
        for (int i = 0; i < count; i++) {
            int at = i * ReplyHead.SLOTS;
            int vs = fields[at + ReplyHead.VALUE_START];
            int ve = fields[at + ReplyHead.VALUE_END];
            if (ReplyHeadParser.fixedHopByHop(b, fields, i)) {
                hop[i] = true;
                if (ReplyHeadParser.nameIs(b, fields, i, HttpHeaderNames.CONNECTION)) {
                    for (int t = vs; t < ve; ) {
                        int comma = indexOf(b, t, ve, (byte) ',');
                        int ts = trimStart(b, t, comma);
                        int te = trimEnd(b, ts, comma);
                        if (ReplyHeadParser.equalsIgnoreCase(b, ts, te, HttpHeaderValues.CLOSE)) {
                            close = true;
                        } else if (ReplyHeadParser.equalsIgnoreCase(b, ts, te, HttpHeaderValues.KEEP_ALIVE)) {
                            keepAliveToken = true;
                        } else if (te > ts) {
                            markNamed(b, fields, count, ts, te, hop);
                        }
                        t = comma + 1;
                    }
                } else if (ReplyHeadParser.nameIs(b, fields, i, HttpHeaderNames.TRANSFER_ENCODING)) {
                    if (chunked || !ReplyHeadParser.equalsIgnoreCase(b, vs, ve, HttpHeaderValues.CHUNKED)) {
                        throw ReplyHeadParser.malformed("Transfer-Encoding other than one \"chunked\"");
                    }
                    chunked = true;
                }
            } else if (ReplyHeadParser.nameIs(b, fields, i, HttpHeaderNames.CONTENT_LENGTH)) {
                length = contentLength(b, vs, ve, length);
            }
        }
        boolean noBody = headRequest || status < 200 || status == 204 || status == 304;
        ReplyHead.Framing framing = noBody ? ReplyHead.Framing.NONE
                : chunked ? ReplyHead.Framing.CHUNKED
                : length >= 0 ? ReplyHead.Framing.LENGTH
                : ReplyHead.Framing.CLOSE;
        if (framing == ReplyHead.Framing.CHUNKED) {
            for (int i = 0; i < count; i++) {
                hop[i] |= ReplyHeadParser.nameIs(b, fields, i, HttpHeaderNames.CONTENT_LENGTH);
            }
        }
        boolean keepAlive = !close && (!http10 || keepAliveToken) && framing != ReplyHead.Framing.CLOSE;
        return new ReplyHead(b, status, 9, statusTextEnd, http10, fields, count, hop, framing,
                framing == ReplyHead.Framing.LENGTH ? length : -1, keepAlive);
    }

    /** The fields named by a Connection token are hop-by-hop too. */
    private static void markNamed(byte[] b, int[] fields, int count, int ts, int te, boolean[] hop) {
        for (int j = 0; j < count; j++) {
            int at = j * ReplyHead.SLOTS;
            int ns = fields[at + ReplyHead.NAME_START];
            int ne = fields[at + ReplyHead.NAME_END];
            if (ne - ns == te - ts && ReplyHeadParser.equalsIgnoreCase(b, ns, ne, new String(b, ts, te - ts,
                    java.nio.charset.StandardCharsets.ISO_8859_1))) {
                hop[j] = true;
            }
        }
    }

    /** A Content-Length value: digits, or a list of equal ones (RFC 9110 §8.6). */
    private static long contentLength(byte[] b, int vs, int ve, long seen) {
        long length = seen;
        for (int t = vs; t <= ve; ) {
            int comma = indexOf(b, t, ve, (byte) ',');
            int ts = trimStart(b, t, comma);
            int te = trimEnd(b, ts, comma);
            if (te == ts || te - ts > 18) {
                throw ReplyHeadParser.malformed("bad Content-Length");
            }
            long v = 0;
            for (int k = ts; k < te; k++) {
                if (b[k] < '0' || b[k] > '9') {
                    throw ReplyHeadParser.malformed("bad Content-Length");
                }
                v = v * 10 + (b[k] - '0');
            }
            if (length >= 0 && v != length) {
                throw ReplyHeadParser.malformed("differing Content-Length values");
            }
            length = v;
            t = comma + 1;
        }
        return length;
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int k = from; k < to; k++) {
            if (b[k] == c) {
                return k;
            }
        }
        return to;
    }

    private static int trimStart(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
            to--;
        }
        return to;
    }
}
