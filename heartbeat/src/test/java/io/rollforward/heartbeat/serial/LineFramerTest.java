package io.rollforward.heartbeat.serial;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineFramerTest {
    private final List<byte[]> frames = new ArrayList<>();
    private final LineFramer framer = new LineFramer(64, frames::add);

    @ParameterizedTest(name = "read in pieces of {0} bytes")
    @ValueSource(ints = {1, 2, 3, 5, 7, 1000})
    void linesCutByReadTimeoutsAreReassembled(int piece) {
        byte[] one = {0, 10, 13, (byte) 0xff};
        byte[] two = "second".getBytes(StandardCharsets.US_ASCII);
        byte[] stream = concat(LineFramer.encode(one), LineFramer.encode(two));
        for (int i = 0; i < stream.length; i += piece) {
            byte[] chunk = Arrays.copyOfRange(stream, i, Math.min(stream.length, i + piece));
            framer.feed(chunk, chunk.length);
        }
        assertThat(frames).containsExactly(one, two);
    }

    @Test
    void garbageAndOverlongLinesAreDroppedAndTheStreamGoesOn() {
        byte[] ok = {42};
        byte[] garbage = "not base64 !!\n".getBytes(StandardCharsets.US_ASCII);
        byte[] overlong = new byte[200];
        Arrays.fill(overlong, (byte) 'A');
        overlong[199] = '\n';
        byte[] crlf = "Kg==\r\n".getBytes(StandardCharsets.US_ASCII); // base64 of {42} with CRLF
        byte[] stream = concat(concat(garbage, overlong), concat(crlf, LineFramer.encode(ok)));
        framer.feed(stream, stream.length);
        assertThat(frames).containsExactly(ok, ok);
        assertThat(framer.malformed()).isEqualTo(2);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
