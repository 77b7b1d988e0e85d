package io.rollforward.proxy.replica;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a chunked body (RFC 9112 §7.1) in place: chunk sizes are parsed from the socket's bytes
 * and each chunk's data is handed on as a retained slice, never copied. Chunk extensions are
 * skipped; trailer fields are kept (they are rare, so they become {@link HttpHeaders}). The
 * framing the proxy writes to the client is its own ({@code Http1ReplyWriter} re-chunks), since
 * what the exchange matches, counts and compares is the body's bytes.
 *
 * <p>Bounded: a chunk-size line longer than {@value #MAX_SIZE_LINE} bytes, or trailers larger
 * than the head limit, are a broken reply.
 */
final class ChunkedBodyReader {
    static final int MAX_SIZE_LINE = 8192;
    private static final byte[] TRAILER_STATUS = "HTTP/1.1 200 T\r\n".getBytes(StandardCharsets.US_ASCII);

    private enum State { SIZE, DATA, DATA_END, TRAILERS, DONE }

    private final int maxTrailers;
    private State state = State.SIZE;
    private long remaining;
    private ByteArrayOutputStream trailerBlock;
    private HttpHeaders trailers;

    ChunkedBodyReader(int maxTrailers) {
        this.maxTrailers = maxTrailers;
    }

    /** The trailer fields, once the body ended; null when there were none. */
    HttpHeaders trailers() {
        return trailers;
    }

    /**
     * Consumes what it can of {@code in}, handing each piece of data to {@code data} (a retained
     * slice, owned by the consumer). Returns true once the body (and its trailers) ended; what
     * stays readable in {@code in} then is not part of it. Returns false when more bytes are needed.
     *
     * @throws MalformedReplyException when the framing is broken
     */
    boolean read(ByteBuf in, Consumer<ByteBuf> data) {
        while (true) {
            switch (state) {
                case SIZE -> {
                    int lf = findLine(in, MAX_SIZE_LINE);
                    if (lf < 0) {
                        return false;
                    }
                    remaining = chunkSize(in, lf);
                    in.readerIndex(lf + 1);
                    state = remaining == 0 ? State.TRAILERS : State.DATA;
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    if (n == 0) {
                        return false;
                    }
                    remaining -= n;
                    data.accept(in.readRetainedSlice(n));
                    if (remaining == 0) {
                        state = State.DATA_END;
                    }
                }
                case DATA_END -> {
                    if (!in.isReadable()) {
                        return false;
                    }
                    byte b = in.getByte(in.readerIndex());
                    if (b == '\r') {
                        if (in.readableBytes() < 2) {
                            return false;
                        }
                        b = in.getByte(in.readerIndex() + 1);
                        in.skipBytes(1);
                    }
                    if (b != '\n') {
                        throw broken("no CRLF after a chunk's data");
                    }
                    in.skipBytes(1);
                    state = State.SIZE;
                }
                case TRAILERS -> {
                    int held = trailerBlock == null ? 0 : trailerBlock.size();
                    int lf = findLine(in, maxTrailers - held + 2);
                    if (lf < 0) {
                        return false;
                    }
                    int len = lf + 1 - in.readerIndex();
                    if (len == 1 || (len == 2 && in.getByte(in.readerIndex()) == '\r')) {
                        in.skipBytes(len);
                        endTrailers();
                        state = State.DONE;
                        return true;
                    }
                    if (trailerBlock == null) {
                        trailerBlock = new ByteArrayOutputStream(64);
                        trailerBlock.writeBytes(TRAILER_STATUS);
                    }
                    byte[] line = new byte[len];
                    in.readBytes(line);
                    trailerBlock.writeBytes(line);
                }
                case DONE -> {
                    return true;
                }
            }
        }
    }

    /** The index of the LF ending the line at the reader index, or -1 if it has not arrived. */
    private static int findLine(ByteBuf in, int max) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, Math.min(in.writerIndex(), start + max), (byte) '\n');
        if (lf < 0 && in.readableBytes() >= max) {
            throw new MalformedReplyException("broken chunked reply: a chunk-size or trailer line too long", true);
        }
        return lf;
    }

    private static long chunkSize(ByteBuf in, int lf) {
        long size = 0;
        int digits = 0;
        int i = in.readerIndex();
        for (; i < lf; i++) {
            int d = Character.digit((char) in.getByte(i), 16);
            if (d < 0) {
                break;
            }
            if (++digits > 15) {
                throw broken("chunk size too large");
            }
            size = size * 16 + d;
        }
        byte next = in.getByte(i);
        boolean ends = i == lf || (i == lf - 1 && next == '\r');
        if (digits == 0 || !(ends || next == ';' || next == ' ' || next == '\t')) {
            throw broken("bad chunk size");
        }
        return size;
    }

    private void endTrailers() {
        if (trailerBlock == null) {
            return;
        }
        trailerBlock.write('\r');
        trailerBlock.write('\n');
        // the trailer section has the syntax of a head's field lines: one parser checks both
        ReplyHead fields = ReplyHeadParser.parse(trailerBlock.toByteArray(), true);
        trailerBlock = null;
        trailers = fields.size() == 0 ? null : fields.headers();
    }

    private static MalformedReplyException broken(String what) {
        return new MalformedReplyException("broken chunked reply: " + what, false);
    }
}
