package io.rollforward.proxy.replica;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import io.rollforward.proxy.http.HeadBytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A replica's reply head as it came off the wire: a copy of its bytes (status line and header
 * lines, ISO-8859-1 as received) with the offsets of each field, and what the proxy needs to know
 * from it (status, framing, keep-alive, which fields are hop-by-hop). Parsed once by
 * {@link ReplyHeadParser}; no {@link HttpHeaders} is built unless something asks for one
 * ({@link #headers()}), so the client's head is written by copying the original lines
 * ({@link #writeKeptLines}).
 *
 * <p>Immutable once parsed; a plain array, nothing to release.
 */
public final class ReplyHead {
    /** How the reply's body is delimited on the replica's hop (RFC 9112 §6.3). */
    public enum Framing { NONE, LENGTH, CHUNKED, CLOSE }

    /**
     * The fields that describe one connection whatever the Connection field names (RFC 9110
     * §7.6.1), plus Proxy-Connection; the proxy frames each hop itself.
     */
    public static final List<AsciiString> HOP_BY_HOP = List.of(
            HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, AsciiString.cached("proxy-connection"),
            HttpHeaderNames.TE, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, HttpHeaderNames.TRAILER);

    static final int NAME_START = 0;
    static final int NAME_END = 1;
    static final int VALUE_START = 2;
    static final int VALUE_END = 3;
    static final int LINE_END = 4;
    static final int SLOTS = 5;

    private final byte[] bytes;
    private final int status;
    private final int statusTextStart;
    private final int statusTextEnd;
    private final boolean http10;
    /** {@link #SLOTS} offsets per field, see the constants above. */
    private final int[] fields;
    private final int count;
    /** Fields that describe the replica's connection (RFC 9110 §7.6.1), or a framing the proxy replaces. */
    private final boolean[] hopByHop;
    private final Framing framing;
    private final long contentLength;
    private final boolean keepAlive;
    private HttpHeaders headers;

    ReplyHead(byte[] bytes, int status, int statusTextStart, int statusTextEnd, boolean http10, int[] fields, int count,
              boolean[] hopByHop, Framing framing, long contentLength, boolean keepAlive) {
        this.bytes = bytes;
        this.status = status;
        this.statusTextStart = statusTextStart;
        this.statusTextEnd = statusTextEnd;
        this.http10 = http10;
        this.fields = fields;
        this.count = count;
        this.hopByHop = hopByHop;
        this.framing = framing;
        this.contentLength = contentLength;
        this.keepAlive = keepAlive;
    }

    /**
     * The head of an HTTP object (tests, or a reply that is not read from a replica's socket): its
     * status line and fields as bytes, parsed as a replica's would be.
     */
    public static ReplyHead of(HttpResponse response, boolean headRequest) {
        StringBuilder text = new StringBuilder(128).append(response.protocolVersion().text()).append(' ')
                .append(response.status().code()).append(' ').append(response.status().reasonPhrase()).append("\r\n");
        response.headers().iteratorCharSequence().forEachRemaining(h -> text.append(h.getKey()).append(": ")
                .append(h.getValue()).append("\r\n"));
        return ReplyHeadParser.parse(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1), headRequest);
    }

    public int status() {
        return status;
    }

    /** The replica answered in HTTP/1.0. */
    public boolean http10() {
        return http10;
    }

    public Framing framing() {
        return framing;
    }

    /** The body's length when framed by Content-Length, else -1. */
    public long contentLength() {
        return framing == Framing.LENGTH ? contentLength : -1;
    }

    /** Whether the replica's connection may carry another request after this reply. */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** The number of header fields. */
    public int size() {
        return count;
    }

    /** The head's length in bytes, as received. */
    public int length() {
        return bytes.length;
    }

    public AsciiString name(int i) {
        return new AsciiString(bytes, at(i, NAME_START), at(i, NAME_END) - at(i, NAME_START), false);
    }

    /** The field's value without surrounding whitespace. */
    public AsciiString value(int i) {
        return new AsciiString(bytes, at(i, VALUE_START), at(i, VALUE_END) - at(i, VALUE_START), false);
    }

    /** Whether field {@code i} is named {@code name} (case-insensitive). */
    public boolean nameIs(int i, AsciiString name) {
        return ReplyHeadParser.nameIs(bytes, fields, i, name);
    }

    /**
     * Whether field {@code i} stays off the client's hop: hop-by-hop ones (and a Content-Length next
     * to a Transfer-Encoding), the proxy's own {@code servedBy} header (it writes its own), and a
     * Content-Length on a 204 (RFC 9110 §8.6).
     */
    public boolean dropFromReply(int i, AsciiString servedBy) {
        return hopByHop[i] || (servedBy != null && nameIs(i, servedBy))
                || (status == 204 && nameIs(i, HttpHeaderNames.CONTENT_LENGTH));
    }

    /** Writes the status code and reason phrase as received (without the CRLF). */
    public void writeStatusText(HeadBytes out) {
        out.bytes(bytes, statusTextStart, statusTextEnd - statusTextStart);
        if (statusTextEnd - statusTextStart == 3) {
            out.ascii(" "); // no reason phrase: the SP before it is still required (RFC 9112 §4)
        }
    }

    /**
     * Writes every field line not dropped ({@link #dropFromReply}) nor named {@code alsoDrop}
     * (null: none), as received, each ending in CRLF. Runs of kept lines are copied at once.
     */
    public void writeKeptLines(HeadBytes out, AsciiString servedBy, AsciiString alsoDrop) {
        int runStart = -1;
        int runEnd = -1;
        for (int i = 0; i < count; i++) {
            boolean drop = dropFromReply(i, servedBy) || (alsoDrop != null && nameIs(i, alsoDrop));
            int lineEnd = at(i, LINE_END);
            boolean crlf = bytes[lineEnd - 2] == '\r';
            if (!drop && crlf && runStart >= 0 && runEnd == at(i, NAME_START)) {
                runEnd = lineEnd;
                continue;
            }
            if (runStart >= 0) {
                out.bytes(bytes, runStart, runEnd - runStart);
                runStart = -1;
            }
            if (drop) {
                continue;
            }
            if (crlf) {
                runStart = at(i, NAME_START);
                runEnd = lineEnd;
            } else { // a bare LF ends the line: write it with CRLF
                out.bytes(bytes, at(i, NAME_START), at(i, VALUE_END) - at(i, NAME_START)).crlf();
            }
        }
        if (runStart >= 0) {
            out.bytes(bytes, runStart, runEnd - runStart);
        }
    }

    /** Each field's name and value, in order. */
    public void forEach(BiConsumer<AsciiString, AsciiString> action) {
        for (int i = 0; i < count; i++) {
            action.accept(name(i), value(i));
        }
    }

    /** The values of every field named {@code name} (case-insensitive), in order; empty when none. */
    public List<String> values(String name) {
        AsciiString wanted = new AsciiString(name);
        List<String> out = new ArrayList<>(1);
        for (int i = 0; i < count; i++) {
            if (nameIs(i, wanted)) {
                out.add(value(i).toString());
            }
        }
        return out;
    }

    /** The fields as Netty headers, built on first use (for what needs an {@link HttpHeaders}). */
    public HttpHeaders headers() {
        if (headers == null) {
            HttpHeaders h = new DefaultHttpHeaders(false);
            forEach(h::add);
            headers = h;
        }
        return headers;
    }

    private int at(int field, int slot) {
        return fields[field * SLOTS + slot];
    }

    @Override
    public String toString() {
        return new String(bytes, 0, statusTextEnd, StandardCharsets.ISO_8859_1) + " (" + count
                + " fields, " + framing + (framing == Framing.LENGTH ? " " + contentLength : "") + ")";
    }
}
