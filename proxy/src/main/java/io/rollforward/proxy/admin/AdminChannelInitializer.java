package io.rollforward.proxy.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The admin connection's pipeline: HTTP/1.1 codec with small limits (admin requests carry no
 * body worth the name), an aggregator that answers 413 past {@link #MAX_BODY}, an idle timeout,
 * then {@link AdminRequestHandler}.
 */
final class AdminChannelInitializer extends ChannelInitializer<Channel> {
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 8192;
    static final int MAX_BODY = 8192;
    /** An admin connection silent this long is closed (a scraper reconnects at no cost). */
    static final long IDLE_SECONDS = 120;

    private final AdminRequestHandler handler;

    /** @param handler shared by every admin connection (it keeps no per-connection state) */
    AdminChannelInitializer(AdminRequestHandler handler) {
        this.handler = handler;
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline().addLast(
                new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_BODY),
                new HttpObjectAggregator(MAX_BODY),
                new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                handler);
    }
}
