package io.rollforward.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replica side of a connection: responses reach the attached sink; nothing leaks. */
class OriginResponseReceiverTest {
    private static final class RecordingSink implements ResponseSink {
        final List<String> events = new ArrayList<>();
        final StringBuilder body = new StringBuilder();

        @Override
        public void onHead(HttpResponse head) {
            events.add("head " + head.status().code());
        }

        @Override
        public void onContent(HttpContent content, boolean last) {
            body.append(content.content().toString(StandardCharsets.UTF_8));
            if (last) {
                events.add("last");
            }
            content.release();
        }

        @Override
        public void onBroken(Throwable cause) {
            events.add("broken " + cause.getClass().getSimpleName());
        }

        @Override
        public void onBadHead(Throwable cause, boolean tooLarge) {
            events.add("bad head" + (tooLarge ? " too large" : ""));
        }
    }

    private static EmbeddedChannel channel(OriginResponseReceiver receiver) {
        // the codec's encoder must see a request first so its decoder knows what the reply answers
        EmbeddedChannel ch = new EmbeddedChannel(new HttpClientCodec(), receiver);
        ch.writeOutbound(new io.netty.handler.codec.http.DefaultFullHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, "/"));
        io.netty.buffer.ByteBuf sent = ch.readOutbound();
        sent.release();
        return ch;
    }

    @Test
    void interimResponsesAreSkippedAndTheFinalOneIsDelivered() {
        OriginResponseReceiver receiver = new OriginResponseReceiver();
        RecordingSink sink = new RecordingSink();
        receiver.attach(sink);
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", StandardCharsets.US_ASCII));
        assertThat(sink.events).containsExactly("head 200", "last");
        assertThat(sink.body).hasToString("hello");
        assertThat(receiver.attached()).as("detached after the last content").isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void closeBeforeTheEndIsReportedAsBroken() {
        OriginResponseReceiver receiver = new OriginResponseReceiver();
        RecordingSink sink = new RecordingSink();
        receiver.attach(sink);
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nhalf", StandardCharsets.US_ASCII));
        ch.close();
        assertThat(sink.events).containsExactly("head 200", "broken ClosedChannelException");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void dataOnAnIdlePooledConnectionClosesIt() {
        OriginResponseReceiver receiver = new OriginResponseReceiver();
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", StandardCharsets.US_ASCII));
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }
}
