package io.rollforward.proxy.replica;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * Parses a replica's reply head straight from the socket's bytes into a {@link ReplyHead}: status
 * line, field lines, framing (RFC 9112 §6.3), keep-alive and the hop-by-hop fields. One parser
 * per replica connection; it remembers how far an incomplete head was scanned.
 *
 * <p>Strict where a proxy must be: a head larger than the limits, obs-fold (RFC 9112 §5.2: a
 * proxy may reject it with 502), whitespace before a colon, control characters in a value, a bare
 * CR, a Transfer-Encoding other than {@code chunked}, a Content-Length that is not a number or
 * differs from another one, a status outside 100..999 and {@code 101} (the proxy never asks for an
 * upgrade) are all refused. A line may end in a bare LF (RFC 9112 §2.2); it is written on with
 * CRLF.
 */
final class ReplyHeadParser {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private final int maxStatusLine;
    private final int maxFields;
    /** Offset (from the head's start) of the next line to look at; 0 = the status line's end is not known. */
    private int scanned;

    /**
     * @param maxStatusLine the status line's limit (without its CRLF)
     * @param maxFields     the field lines' limit, together ({@code limits.max-response-header-size})
     */
    ReplyHeadParser(int maxStatusLine, int maxFields) {
        this.maxStatusLine = maxStatusLine;
        this.maxFields = maxFields;
    }

    /**
     * The length of the head that starts at {@code in}'s reader index, up to and including its
     * blank line, or -1 when it has not all arrived.
     *
     * @throws MalformedReplyException when the head is larger than the limits
     */
    int headLength(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (scanned == 0) {
            int lf = in.indexOf(start, Math.min(end, start + maxStatusLine + 2), LF);
            if (lf < 0) {
                if (end - start > maxStatusLine + 1) {
                    throw new MalformedReplyException("status line longer than " + maxStatusLine + " bytes", true);
                }
                return -1;
            }
            scanned = lf + 1 - start;
        }
        int limit = start + scanned + maxFields; // bounded by the status line's end, known by now
        int pos = start + scanned;
        while (pos < end) {
            byte b = in.getByte(pos);
            if (b == LF) {
                return done(pos + 1 - start);
            }
            if (b == CR) {
                if (pos + 1 >= end) {
                    break;
                }
                if (in.getByte(pos + 1) == LF) {
                    return done(pos + 2 - start);
                }
            }
            int lf = in.indexOf(pos, Math.min(end, limit), LF);
            if (lf < 0) {
                if (end >= limit) {
                    throw new MalformedReplyException("reply head fields larger than " + maxFields + " bytes", true);
                }
                break;
            }
            pos = lf + 1;
            scanned = pos - start;
        }
        if (end - start - scanned > maxFields) {
            throw new MalformedReplyException("reply head fields larger than " + maxFields + " bytes", true);
        }
        return -1;
    }

    private int done(int length) {
        scanned = 0;
        return length;
    }

    /** Forgets a partly scanned head (the connection starts over). */
    void reset() {
        scanned = 0;
    }

    /**
     * Parses the {@code length} bytes of a complete head (from {@link #headLength}) and consumes them.
     *
     * @param headRequest the reply answers a HEAD: it has no body whatever its fields say
     */
    ReplyHead parse(ByteBuf in, int length, boolean headRequest) {
        byte[] b = new byte[length];
        in.readBytes(b);
        return parse(b, headRequest);
    }

    static ReplyHead parse(byte[] b, boolean headRequest) {
        int n = b.length;
        if (n < 13 || b[0] != 'H' || b[1] != 'T' || b[2] != 'T' || b[3] != 'P' || b[4] != '/' || b[5] != '1'
                || b[6] != '.' || (b[7] != '0' && b[7] != '1') || b[8] != ' '
                || !digit(b[9]) || !digit(b[10]) || !digit(b[11])) {
            throw malformed("not an HTTP/1.x status line");
        }
        int status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
        if (status < 100 || status == 101) {
            throw malformed("status " + status);
        }
        int pos = 12;
        if (b[pos] == ' ') {
            pos = skipText(b, pos + 1);
        }
        int statusTextEnd = pos;
        pos = lineEnd(b, pos);

        int[] fields = new int[ReplyHead.SLOTS * 12];
        int count = 0;
        while (pos < n && b[pos] != CR && b[pos] != LF) {
            if (b[pos] == ' ' || b[pos] == '\t') {
                throw malformed("obs-fold (a field line starting with whitespace)");
            }
            int nameStart = pos;
            while (pos < n && TCHAR[b[pos] & 0xff]) {
                pos++;
            }
            if (pos == nameStart || pos >= n || b[pos] != ':') {
                throw malformed("bad field name");
            }
            int nameEnd = pos++;
            pos = skipWhitespace(b, pos);
            int valueStart = pos;
            pos = skipText(b, pos);
            int valueEnd = pos;
            while (valueEnd > valueStart && (b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            pos = lineEnd(b, pos);
            if (fields.length < (count + 1) * ReplyHead.SLOTS) {
                fields = Arrays.copyOf(fields, fields.length * 2);
            }
            int at = count * ReplyHead.SLOTS;
            fields[at + ReplyHead.NAME_START] = nameStart;
            fields[at + ReplyHead.NAME_END] = nameEnd;
            fields[at + ReplyHead.VALUE_START] = valueStart;
            fields[at + ReplyHead.VALUE_END] = valueEnd;
            fields[at + ReplyHead.LINE_END] = pos;
            count++;
        }
        return ReplyFraming.decide(b, status, statusTextEnd, b[7] == '0', fields, count, headRequest);
    }

    /** Whether field {@code i}'s name is one of the fixed hop-by-hop names. */
    static boolean fixedHopByHop(byte[] b, int[] fields, int i) {
        for (AsciiString name : ReplyHead.HOP_BY_HOP) {
            if (nameIs(b, fields, i, name)) {
                return true;
            }
        }
        return false;
    }

    static boolean nameIs(byte[] b, int[] fields, int i, AsciiString name) {
        int at = i * ReplyHead.SLOTS;
        return equalsIgnoreCase(b, fields[at + ReplyHead.NAME_START], fields[at + ReplyHead.NAME_END], name);
    }

    static boolean equalsIgnoreCase(byte[] b, int start, int end, CharSequence name) {
        if (end - start != name.length()) {
            return false;
        }
        for (int k = 0; k < end - start; k++) {
            if (lower(b[start + k]) != lower((byte) name.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static int skipWhitespace(byte[] b, int pos) {
        while (pos < b.length && (b[pos] == ' ' || b[pos] == '\t')) {
            pos++;
        }
        return pos;
    }

    /** Skips field-content (VCHAR, obs-text, SP, HTAB); stops at CR or LF; refuses other controls. */
    private static int skipText(byte[] b, int pos) {
        while (pos < b.length) {
            int c = b[pos] & 0xff;
            if (c == CR || c == LF) {
                return pos;
            }
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw malformed("control character 0x" + Integer.toHexString(c) + " in the head");
            }
            pos++;
        }
        return pos;
    }

    /** The offset after the CRLF (or bare LF) at {@code pos}. */
    private static int lineEnd(byte[] b, int pos) {
        if (pos < b.length && b[pos] == LF) {
            return pos + 1;
        }
        if (pos + 1 < b.length && b[pos] == CR && b[pos + 1] == LF) {
            return pos + 2;
        }
        throw malformed("a line not ending in CRLF (a bare CR, or junk after the status code)");
    }

    static MalformedReplyException malformed(String what) {
        return new MalformedReplyException("malformed reply head: " + what, false);
    }
}
