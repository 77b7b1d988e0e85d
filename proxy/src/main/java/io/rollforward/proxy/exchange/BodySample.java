package io.rollforward.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * The first bytes of a reply's body, copied (at most {@code limit}, 64 KiB by default) for a
 * byte-by-byte comparison of the replies when divergence rules need one ({@code ignore-body}, the
 * first differing offset). A body longer than the limit is not kept at all: the comparison falls
 * back to the CRC32C. A plain array, not retained buffers: nothing to release, nothing to leak.
 */
final class BodySample {
    private final long limit;
    private byte[] bytes = new byte[0];
    private int size;
    private boolean over;

    BodySample(long limit) {
        this.limit = limit;
    }

    /** The body's length when known (else -1): the array is sized once, not grown piece by piece. */
    void expect(long length) {
        if (length > 0 && length <= limit && size == 0 && bytes.length < length) {
            bytes = new byte[(int) length];
        } else if (length > limit) {
            over = true; // longer than the limit: never kept, the CRC decides
            bytes = null;
        }
    }

    void add(ByteBuf piece) {
        int n = piece.readableBytes();
        if (over || n == 0) {
            return;
        }
        if (size + (long) n > limit) {
            over = true;
            bytes = null;
            return;
        }
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + n, Math.min((int) limit, Math.max(1024, bytes.length * 2))));
        }
        piece.getBytes(piece.readerIndex(), bytes, size, n);
        size += n;
    }

    /** The whole body (a view, not to be released), or null when it was longer than the limit. */
    ByteBuf body() {
        return over ? null : Unpooled.wrappedBuffer(bytes, 0, size);
    }

    void release() {
        // nothing held but an array
    }
}
