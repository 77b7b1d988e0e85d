package io.rollforward.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;

/**
 * A message head assembled in a plain byte array, then copied into a buffer once. Writing a head
 * piece by piece into a {@link ByteBuf} pays a bounds, capacity and reference-count check per
 * piece (the request head and the reply head together were a fifth of the proxy's CPU per
 * request, most of it in those checks: bench/RESULTS.md, 16:20). Text is written as ISO-8859-1
 * bytes, as HTTP field values are received (obs-text kept).
 *
 * <p>One per thread, reused: take it with {@link #start()}, write, and end with
 * {@link #toBuffer}; nothing may start another head on the same thread in between.
 */
public final class HeadBytes {
    private static final FastThreadLocal<HeadBytes> PER_THREAD = new FastThreadLocal<>() {
        @Override
        protected HeadBytes initialValue() {
            return new HeadBytes();
        }
    };
    /** A head larger than this is not kept for the next one: the array shrinks back. */
    private static final int KEPT_CAPACITY = 16 * 1024;

    private byte[] bytes = new byte[1024];
    private int length;

    private HeadBytes() {
    }

    /** This thread's builder, empty. */
    public static HeadBytes start() {
        HeadBytes h = PER_THREAD.get();
        h.length = 0;
        return h;
    }

    public HeadBytes ascii(CharSequence text) {
        int n = text.length();
        room(n);
        if (text instanceof AsciiString a) {
            System.arraycopy(a.array(), a.arrayOffset(), bytes, length, n);
        } else {
            for (int i = 0; i < n; i++) {
                bytes[length + i] = (byte) text.charAt(i);
            }
        }
        length += n;
        return this;
    }

    public HeadBytes bytes(byte[] src) {
        return bytes(src, 0, src.length);
    }

    public HeadBytes bytes(byte[] src, int from, int count) {
        room(count);
        System.arraycopy(src, from, bytes, length, count);
        length += count;
        return this;
    }

    public HeadBytes decimal(long value) {
        return ascii(Long.toString(value));
    }

    public HeadBytes crlf() {
        room(2);
        bytes[length++] = '\r';
        bytes[length++] = '\n';
        return this;
    }

    /** {@code name: value} and CRLF. */
    public HeadBytes field(CharSequence name, CharSequence value) {
        ascii(name);
        room(2);
        bytes[length++] = ':';
        bytes[length++] = ' ';
        return ascii(value).crlf();
    }

    public int length() {
        return length;
    }

    /** The head's bytes in a new buffer of {@code alloc} (the caller owns it); the builder is free again. */
    public ByteBuf toBuffer(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(length);
        buf.writeBytes(bytes, 0, length);
        if (bytes.length > KEPT_CAPACITY) {
            bytes = new byte[1024];
        }
        length = 0;
        return buf;
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
