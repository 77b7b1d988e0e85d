package io.rollforward.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * The first bytes of a reply's body, copied for the comparison of the replies
 * ({@link DivergenceRules#sampleLimit()}). Whole: at most {@code limit} bytes (64 KiB by default),
 * for the {@code ignore-body} rules; a body longer than that is not kept at all and the CRC32C
 * decides. A prefix: the first {@code limit} bytes of any body, to name where two bodies first
 * differ when the CRC32C already said they do. A plain array, not retained buffers: nothing to
 * release, nothing to leak.
 */
final class BodySample {
    private final long limit;
    private final boolean prefix;
    private byte[] bytes = new byte[0];
    private int size;
    private boolean over;

    /** @param prefix keep the first {@code limit} bytes of a longer body too (else none of it) */
    BodySample(long limit, boolean prefix) {
        this.limit = limit;
        this.prefix = prefix;
    }

    /** The body's length when known (else -1): the array is sized once, not grown piece by piece. */
    void expect(long length) {
        long kept = prefix ? Math.min(length, limit) : length;
        if (kept > 0 && kept <= limit && size == 0 && bytes.length < kept) {
            bytes = new byte[(int) kept];
        } else if (kept > limit) {
            over = true; // longer than the limit: never kept, the CRC decides
            bytes = null;
        }
    }

    void add(ByteBuf piece) {
        int n = piece.readableBytes();
        if (prefix) {
            n = (int) Math.min(n, limit - size);
        }
        if (over || n <= 0) {
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

    /** The body or its prefix (a view, not to be released), or null when it was longer than the limit. */
    ByteBuf body() {
        return over ? null : Unpooled.wrappedBuffer(bytes, 0, size);
    }

    void release() {
        // nothing held but an array
    }
}
