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
import io.rollforward.config.CidrBlock;
import io.rollforward.config.ForwardedConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What each replica receives, on the wire (encoded on an EmbeddedChannel). */
class ReplicaRequestTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 50000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    private static final ForwardedHeaders UNTRUSTING = new ForwardedHeaders("edge-a", ForwardedConfig.DEFAULT);

    private static String wire(FullHttpRequest client) {
        return wire(client, UNTRUSTING);
    }

    private static String wire(FullHttpRequest client, ForwardedHeaders forwarded) {
        ReplicaRequest request = ReplicaRequest.of(client, CLIENT, LOCAL, forwarded, "http");
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

    @ParameterizedTest
    @CsvSource({
            // trusted-proxies, X-Forwarded-For sent on, X-Forwarded-Proto sent on
            "'',             192.0.2.7,               http",
            "198.51.100.0/24, 192.0.2.7,              http",
            "192.0.2.0/24,   '203.0.113.9, 192.0.2.7', https",
            "192.0.2.7,      '203.0.113.9, 192.0.2.7', https",
    })
    void forwardedHeadersAreKeptOnlyFromATrustedPeer(String trusted, String forwardedFor, String proto) throws Exception {
        List<CidrBlock> blocks = new ArrayList<>();
        for (String block : trusted.isBlank() ? new String[0] : trusted.split(" ")) {
            String[] parts = block.split("/");
            blocks.add(new CidrBlock(InetAddress.getByName(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 32));
        }
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        r.headers().set("Host", "h").set("X-Forwarded-For", "203.0.113.9").set("X-Forwarded-Proto", "https");
        String wire = wire(r, new ForwardedHeaders("edge-a", new ForwardedConfig(blocks)));
        assertThat(wire).contains("X-Forwarded-For: " + forwardedFor + "\r\n", "X-Forwarded-Proto: " + proto + "\r\n");
    }

    @Test
    void viaNamesTheReceivedProtocolAndThisNodeAfterEarlierHops() {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/");
        r.headers().set("Via", "1.1 cdn-7 (Squid)");
        assertThat(wire(r)).contains("Via: 1.1 cdn-7 (Squid), 1.0 edge-a (rollforward)\r\n");
        FullHttpRequest first = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        first.headers().set("Host", "h");
        assertThat(wire(first)).contains("Via: 1.1 edge-a (rollforward)\r\n");
    }

    @Test
    void aRequestWithoutBodyOrFramingGetsNoContentLength() {
        FullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        get.headers().set("Host", "h");
        assertThat(wire(get)).doesNotContainIgnoringCase("content-length");
        FullHttpRequest framedEmpty = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        framedEmpty.headers().set("Host", "h").set("Content-Length", "0");
        assertThat(wire(framedEmpty)).contains("Content-Length: 0\r\n");
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
