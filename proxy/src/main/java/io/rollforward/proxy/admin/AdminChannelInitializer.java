package io.rollforward.proxy.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.rollforward.proxy.metrics.ProxyMetrics;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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

    private final ProxyMetrics metrics;
    private final Supplier<?> status;
    private final AdminActions actions;
    private final AdminToken token;
    private final ObjectMapper json;

    AdminChannelInitializer(ProxyMetrics metrics, Supplier<?> status, AdminActions actions, AdminToken token,
                            ObjectMapper json) {
        this.metrics = metrics;
        this.status = status;
        this.actions = actions;
        this.token = token;
        this.json = json;
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline().addLast(
                new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_BODY),
                new HttpObjectAggregator(MAX_BODY),
                new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                new AdminRequestHandler(metrics, status, actions, token, json));
    }
}
