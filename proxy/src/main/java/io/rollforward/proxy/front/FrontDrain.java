package io.rollforward.proxy.front;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The front's side of a graceful stop. Once {@link #start()} ran, every request that arrives on an
 * HTTP/1.1 connection is answered with {@code Connection: close} (so an idle keep-alive connection
 * closes after its next reply), and every HTTP/2 connection gets a GOAWAY (NO_ERROR): streams it
 * already opened finish, new ones go elsewhere (RFC 9113 §6.8), and Netty closes the connection
 * when its last stream ends.
 */
public final class FrontDrain {
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile boolean draining;

    void track(Channel connection) {
        connections.add(connection); // removed by the group when it closes
        if (draining) {
            connection.attr(FrontProtocol.DRAINING).set(true);
        }
    }

    /** HTTP/2 connections get their GOAWAY as soon as ALPN picked h2 during a drain. */
    void http2Started(Channel connection) {
        if (draining) {
            goAway(connection);
        }
    }

    boolean draining() {
        return draining;
    }

    /** Starts draining: returns at once, the GOAWAYs are written on each connection's loop. */
    public void start() {
        draining = true;
        for (Channel c : connections) {
            c.attr(FrontProtocol.DRAINING).set(true);
            if (FrontProtocol.isHttp2(c)) {
                c.eventLoop().execute(() -> goAway(c));
            }
        }
    }

    /** Client connections open now (HTTP/1.1 and HTTP/2, plain and TLS). */
    public int open() {
        return connections.size();
    }

    /** Closes whatever is still open (at the end of the shutdown timeout). */
    public void closeAll() {
        connections.close();
    }

    private static void goAway(Channel connection) {
        if (connection.isActive()) {
            connection.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
        }
    }
}
