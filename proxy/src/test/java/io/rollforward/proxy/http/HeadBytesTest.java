package io.rollforward.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeadBytesTest {
    @Test
    void aHeadIsItsPiecesInOrderAsIso88591() {
        AsciiString slice = new AsciiString("xxHostyy".getBytes(StandardCharsets.US_ASCII), 2, 4, false);
        HeadBytes h = HeadBytes.start().ascii("GET /caf\u00e9 HTTP/1.1").crlf().field(slice, "example.org")
                .bytes("X-A: 1\r\n".getBytes(StandardCharsets.US_ASCII), 0, 8).ascii("Content-Length: ").decimal(42)
                .crlf().crlf();
        assertThat(text(h)).isEqualTo("GET /caf\u00e9 HTTP/1.1\r\nHost: example.org\r\nX-A: 1\r\nContent-Length: 42\r\n\r\n");
    }

    @Test
    void aHeadLargerThanTheArrayGrowsItAndTheNextHeadStartsEmpty() {
        String value = "v".repeat(40_000);
        HeadBytes big = HeadBytes.start().field("X-Big", value);
        assertThat(big.length()).isEqualTo(40_009);
        assertThat(text(big)).isEqualTo("X-Big: " + value + "\r\n");
        HeadBytes next = HeadBytes.start().ascii("HTTP/1.1 204 No Content").crlf().crlf();
        assertThat(text(next)).isEqualTo("HTTP/1.1 204 No Content\r\n\r\n");
    }

    private static String text(HeadBytes h) {
        ByteBuf buf = h.toBuffer(UnpooledByteBufAllocator.DEFAULT);
        try {
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }
}
