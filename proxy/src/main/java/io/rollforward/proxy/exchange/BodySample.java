package io.rollforward.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The first bytes of a reply's body, kept (as retained slices, not copies) for a byte-by-byte
 * comparison of the replies when divergence rules need one ({@code ignore-body}, the first
 * differing offset). A body longer than the limit is not kept at all: the comparison falls back to
 * the CRC32C. Released by its owner when the exchange ends.
 */
final class BodySample {
    private final long limit;
    private CompositeByteBuf bytes;
    private long size;
    private boolean over;

    BodySample(long limit) {
        this.limit = limit;
    }

    void add(ByteBuf piece) {
        if (over) {
            return;
        }
        size += piece.readableBytes();
        if (size > limit) {
            over = true;
            release();
            return;
        }
        if (bytes == null) {
            bytes = Unpooled.compositeBuffer(16);
        }
        bytes.addComponent(true, piece.retainedSlice());
    }

    /** The whole body, or null when it was longer than the limit. */
    ByteBuf body() {
        return over ? null : bytes != null ? bytes : Unpooled.EMPTY_BUFFER;
    }

    void release() {
        if (bytes != null) {
            bytes.release();
            bytes = null;
        }
    }
}
