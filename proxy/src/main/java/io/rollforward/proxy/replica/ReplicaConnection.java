package io.rollforward.proxy.replica;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.buffer.ByteBuf;

/**
 * One replica connection borrowed from a {@link ReplicaPool} for one request. Give it back with
 * {@link #release()} once the response was read to the end, or {@link #discard()} it when the
 * response is broken, abandoned or unread.
 */
public final class ReplicaConnection {
    private final Channel channel;
    private final OriginResponseReceiver receiver;
    private final ReplicaPool.IdleConnections pool;
    private final boolean reused;
    private boolean returned;

    ReplicaConnection(Channel channel, OriginResponseReceiver receiver, ReplicaPool.IdleConnections pool, boolean reused) {
        this.channel = channel;
        this.receiver = receiver;
        this.pool = pool;
        this.reused = reused;
    }

    /** True when the connection already carried an earlier request (keep-alive reuse). */
    public boolean reused() {
        return reused;
    }

    public Channel channel() {
        return channel;
    }

    /**
     * Writes the encoded request (the write releases it); the reply goes to {@code sink}.
     * {@code head}: the request is a HEAD, so its reply has no body.
     */
    public ChannelFuture send(ByteBuf request, boolean head, ResponseSink sink) {
        receiver.attach(sink, head);
        return channel.writeAndFlush(request);
    }

    /** Back to the pool for reuse (the response was complete and keep-alive allows it). */
    public void release() {
        if (returned) {
            return;
        }
        returned = true;
        if (receiver.attached() || !channel.isActive()) {
            channel.close();
        } else {
            channel.config().setAutoRead(true);
        }
        pool.release(channel);
    }

    /** Closes the connection: its state is unknown or unwanted. */
    public void discard() {
        if (returned) {
            return;
        }
        returned = true;
        receiver.detach();
        channel.close();
        pool.release(channel);
    }
}
