package io.rollforward.proxy.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The proxy's own short plain-text replies to bad input; each one closes the connection. */
final class ErrorReplies {
    private ErrorReplies() {
    }

    static FullHttpResponse of(HttpResponseStatus status, String why) {
        byte[] text = (status.code() + " " + status.reasonPhrase() + ": " + why + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(text));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, text.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }

    /** The same reply as HTTP/1.1 bytes, for a handler that sits before the encoder. */
    static ByteBuf encoded(HttpResponseStatus status, String why) {
        byte[] text = (status.code() + " " + status.reasonPhrase() + ": " + why + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status.code() + " " + status.reasonPhrase() + "\r\n"
                + "content-type: text/plain; charset=utf-8\r\n"
                + "content-length: " + text.length + "\r\n"
                + "connection: close\r\n\r\n";
        return Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), text);
    }

    /** Writes the reply and closes the connection after it. */
    static void sendAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
        ctx.writeAndFlush(of(status, why)).addListener(ChannelFutureListener.CLOSE);
    }
}
