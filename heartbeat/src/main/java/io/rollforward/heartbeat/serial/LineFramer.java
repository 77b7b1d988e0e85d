package io.rollforward.heartbeat.serial;

import java.util.Arrays;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * Turns a serial byte stream into frames: one frame per line, the frame's bytes in base64,
 * ended by {@code '\n'} (a {@code '\r'} before it is ignored).
 *
 * <p>A serial read returns whatever arrived before its timeout, so a line may come in several
 * pieces (and several lines in one piece): bytes are kept until their newline arrives. A line
 * longer than {@code maxLineLength} (noise on the line, a peer speaking another protocol) is
 * dropped up to its newline; a line that is not valid base64 (for instance the tail of a line
 * whose start was sent before this end opened the port) is dropped and counted. Neither stops
 * the stream.
 *
 * <p>Not thread-safe: one reader thread feeds it.
 */
final class LineFramer {
    private final int maxLineLength;
    private final Consumer<byte[]> frameSink;
    private byte[] line = new byte[256];
    private int length;
    private boolean discarding;
    private long malformed;

    LineFramer(int maxLineLength, Consumer<byte[]> frameSink) {
        if (maxLineLength < 4) {
            throw new IllegalArgumentException("maxLineLength: " + maxLineLength + " (expected: >= 4)");
        }
        this.maxLineLength = maxLineLength;
        this.frameSink = frameSink;
    }

    /** Encodes one frame as a line ready to be written to the port. */
    static byte[] encode(byte[] frame) {
        byte[] b64 = Base64.getEncoder().encode(frame);
        byte[] out = Arrays.copyOf(b64, b64.length + 1);
        out[b64.length] = '\n';
        return out;
    }

    /** Feeds {@code count} bytes read from the port; complete lines go to the sink as frames. */
    void feed(byte[] buf, int count) {
        for (int i = 0; i < count; i++) {
            byte b = buf[i];
            if (b == '\n') {
                endOfLine();
            } else if (!discarding) {
                if (length == maxLineLength) {
                    discarding = true;
                    malformed++;
                    length = 0;
                } else {
                    append(b);
                }
            }
        }
    }

    /** Lines dropped as too long or not base64. */
    long malformed() {
        return malformed;
    }

    private void append(byte b) {
        if (length == line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineLength, line.length * 2));
        }
        line[length++] = b;
    }

    private void endOfLine() {
        if (discarding) {
            discarding = false;
            length = 0;
            return;
        }
        int end = length;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        length = 0;
        if (end == 0) {
            return; // blank line: nothing to deliver
        }
        byte[] frame;
        try {
            frame = Base64.getDecoder().decode(Arrays.copyOf(line, end));
        } catch (IllegalArgumentException notBase64) {
            malformed++;
            return;
        }
        frameSink.accept(frame);
    }
}
