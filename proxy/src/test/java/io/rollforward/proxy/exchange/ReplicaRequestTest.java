package io.rollforward.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What each replica receives, on the wire (encoded on an EmbeddedChannel). */
class ReplicaRequestTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 50000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    private static String wire(FullHttpRequest client) {
        ReplicaRequest request = ReplicaRequest.of(client, CLIENT, LOCAL);
        ByteBuf b = request.encode(io.netty.buffer.ByteBufAllocator.DEFAULT);
        String out = b.toString(StandardCharsets.UTF_8);
        b.release();
        client.release();
        return out;
    }

    @Test
    void hopByHopHeadersAndTheOnesConnectionNamesAreStripped() {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/x",
                Unpooled.copiedBuffer("body", StandardCharsets.UTF_8));
        r.headers().set("Host", "example.test").set("Connection", "keep-alive, X-Secret-Hop")
                .set("X-Secret-Hop", "1").set("Keep-Alive", "timeout=5").set("Proxy-Connection", "x")
                .set("TE", "trailers").set("Upgrade", "h2c").set("X-End-To-End", "kept")
                .set("Content-Length", "4").set("Expect", "100-continue");
        String wire = wire(r);
        assertThat(wire).startsWith("POST /x HTTP/1.1\r\n")
                .contains("Host: example.test\r\n", "X-End-To-End: kept\r\n", "Content-Length: 4\r\n",
                        "X-Forwarded-For: 192.0.2.7\r\n", "X-Forwarded-Proto: http\r\n")
                .doesNotContainIgnoringCase("connection:").doesNotContainIgnoringCase("x-secret-hop")
                .doesNotContainIgnoringCase("keep-alive:").doesNotContainIgnoringCase("te:")
                .doesNotContainIgnoringCase("upgrade:").doesNotContainIgnoringCase("expect:")
                .endsWith("\r\n\r\nbody");
    }

    @Test
    void existingForwardedForIsAppendedTo() {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        r.headers().set("Host", "h").set("X-Forwarded-For", "203.0.113.9");
        assertThat(wire(r)).contains("X-Forwarded-For: 203.0.113.9, 192.0.2.7\r\n");
    }

    @ParameterizedTest
    @CsvSource({
            "http://example.test:81/a/b?q=1, /a/b?q=1, example.test:81",
            "http://example.test, /, example.test",
    })
    void absoluteFormBecomesOriginFormWithItsAuthorityAsHost(String target, String path, String host) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target);
        r.headers().set("Host", "ignored.test");
        String wire = wire(r);
        assertThat(wire).startsWith("GET " + path + " HTTP/1.1\r\n").contains("Host: " + host + "\r\n");
    }

    @Test
    void http10RequestWithoutHostGetsOneAndGoesOutAsHttp11() {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/old");
        assertThat(wire(r)).startsWith("GET /old HTTP/1.1\r\n").contains("Host: 127.0.0.1:8080\r\n");
    }
}
