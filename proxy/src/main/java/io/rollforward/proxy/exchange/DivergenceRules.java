package io.rollforward.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.rollforward.config.DivergenceConfig;
import io.rollforward.proxy.replica.ReplyHead;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What counts as two replies differing ({@code divergence} in the config): the headers listed in
 * {@code compare-headers}, and the body after the {@code ignore-body} matches are blanked, for
 * bodies up to {@code limits.max-compare-body}; larger bodies by their CRC32C. A difference names
 * where the two first differ, with a short excerpt of each, for the sample log line.
 *
 * <p>Immutable and shared by every event loop.
 */
public final class DivergenceRules {
    private static final int EXCERPT_BEFORE = 8;
    private static final int EXCERPT_AFTER = 24;
    /**
     * Without {@code ignore-body} rules the CRC32C decides whether two bodies differ; only this
     * many first bytes are kept, to name where they differ. Copying whole 64 KiB bodies of both
     * replicas for that cost a mirrored 64 KiB request about a tenth of the proxy's CPU.
     */
    static final int EXCERPT_WINDOW = 4096;

    private final List<String> headers;
    private final List<Pattern> ignore;
    private final long maxCompareBody;

    public DivergenceRules(DivergenceConfig config, long maxCompareBody) {
        this.headers = config.compareHeaders();
        this.ignore = config.ignoreBody().stream().map(Pattern::compile).toList();
        this.maxCompareBody = maxCompareBody;
    }

    /**
     * How many first bytes of each reply an exchange keeps: bodies up to {@code max-compare-body}
     * whole when {@code ignore-body} rules need them; else the first {@value #EXCERPT_WINDOW}
     * bytes of any body ({@link #samplesPrefix()}), for the sample line's first differing offset.
     */
    public long sampleLimit() {
        return ignore.isEmpty() ? Math.min(maxCompareBody, EXCERPT_WINDOW) : maxCompareBody;
    }

    /** Whether the samples are prefixes (the CRC32C decides) rather than whole bodies (the rules decide). */
    public boolean samplesPrefix() {
        return ignore.isEmpty();
    }

    /** Whether a body of this size is kept for a byte-by-byte comparison. */
    public boolean comparesBytes(long size) {
        return size <= maxCompareBody;
    }

    /** The first listed header whose values differ, as {@code name: value}, or null. */
    public String differingHeader(HttpHeaders sent, HttpHeaders other, boolean sentSide) {
        return differingHeader(sent::getAll, other::getAll, sentSide);
    }

    /** The same, read from the replies' heads as received (no header objects built). */
    public String differingHeader(ReplyHead sent, ReplyHead other, boolean sentSide) {
        return differingHeader(sent::values, other::values, sentSide);
    }

    private String differingHeader(Function<String, List<String>> sent, Function<String, List<String>> other,
                                   boolean sentSide) {
        for (String name : headers) {
            List<String> a = sent.apply(name);
            List<String> b = other.apply(name);
            if (!a.equals(b)) {
                return name + ": " + String.join(", ", sentSide ? a : b);
            }
        }
        return null;
    }

    /** Where two bodies first differ, after the ignore rules. */
    public record BodyDifference(long offset, String sent, String other) {
        /** How the sample line names it: "sent X {sent side} but Y {other side}". */
        String describe(boolean sentSide) {
            if (offset < 0) {
                return sentSide ? sent : other;
            }
            return sentSide ? "body differs at offset " + offset + ": " + sent : "has " + other;
        }
    }

    /**
     * @param sent  the body sent, or its first bytes without ignore rules (null when not kept:
     *              larger than max-compare-body)
     * @param other the other replica's body, or its first bytes (null when not kept)
     * @return null when they are the same under the rules
     */
    public BodyDifference compareBodies(ByteBuf sent, long sentCrc, ByteBuf other, long otherCrc) {
        if (sent == null || other == null || !comparesBytes(sent.readableBytes()) || !comparesBytes(other.readableBytes())) {
            return sentCrc == otherCrc ? null : new BodyDifference(-1, "body crc32c " + Long.toHexString(sentCrc),
                    "body crc32c " + Long.toHexString(otherCrc));
        }
        if (ignore.isEmpty()) {
            // the bodies (or their first bytes) of two bodies of the same length, which the caller checked
            if (sentCrc == otherCrc && sent.readableBytes() == other.readableBytes()) {
                return null;
            }
            BodyDifference d = firstDifference(sent.toString(StandardCharsets.ISO_8859_1),
                    other.toString(StandardCharsets.ISO_8859_1));
            return d != null ? d : new BodyDifference(-1, "body crc32c " + Long.toHexString(sentCrc) + " (the first "
                    + sent.readableBytes() + " bytes the same)", "body crc32c " + Long.toHexString(otherCrc));
        }
        // ISO-8859-1 maps each byte to one char: offsets stay byte offsets, any byte sequence survives
        return firstDifference(blank(sent.toString(StandardCharsets.ISO_8859_1)),
                blank(other.toString(StandardCharsets.ISO_8859_1)));
    }

    private String blank(String body) {
        String out = body;
        for (Pattern p : ignore) {
            out = p.matcher(out).replaceAll("");
        }
        return out;
    }

    private static BodyDifference firstDifference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        if (i == n && a.length() == b.length()) {
            return null;
        }
        return new BodyDifference(i, excerpt(a, i), excerpt(b, i));
    }

    /** A few bytes around {@code at}, quoted, non-printable ones escaped. */
    static String excerpt(String text, int at) {
        int from = Math.max(0, at - EXCERPT_BEFORE);
        int to = Math.min(text.length(), at + EXCERPT_AFTER);
        StringBuilder out = new StringBuilder(from > 0 ? "\"..." : "\"");
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(to < text.length() ? "...\"" : "\"").toString();
    }
}
