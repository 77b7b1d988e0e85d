package io.rollforward.proxy.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.rollforward.config.AdminConfig;
import io.rollforward.proxy.metrics.ProxyMetrics;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP port ({@code admin.listen}, loopback by default): {@code GET /metrics},
 * {@code GET /status}, {@code GET /healthz}, and the token-protected {@code POST /drain},
 * {@code POST /failover}, {@code POST /replicas/{name}/rejoin}.
 *
 * <pre>{@code
 * AdminServer admin = new AdminServer(config.admin(), metrics, statusSupplier, actions);
 * InetSocketAddress bound = admin.start(group, NioServerSocketChannel.class); // or EpollServerSocketChannel
 * ...
 * admin.close();
 * }</pre>
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final AdminConfig config;
    private final ChannelInitializer<Channel> initializer;
    private final ChannelGroup channels = new DefaultChannelGroup("rollforward-admin", GlobalEventExecutor.INSTANCE);
    private volatile Channel serverChannel;

    /**
     * Reads the token file at once (not on an event loop).
     *
     * @param status  called per {@code GET /status} on the admin event loop; its result is written
     *                with Jackson (records, maps, lists, strings, numbers)
     * @throws IllegalArgumentException when {@code admin.token-file} is set but unreadable, empty or
     *                                  readable by others
     */
    public AdminServer(AdminConfig config, ProxyMetrics metrics, Supplier<?> status, AdminActions actions) {
        this.config = Objects.requireNonNull(config, "config");
        ObjectMapper json = JsonMapper.builder()
                .findAndAddModules()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build();
        this.initializer = new AdminChannelInitializer(new AdminRequestHandler(Objects.requireNonNull(metrics, "metrics"),
                Objects.requireNonNull(status, "status"), Objects.requireNonNull(actions, "actions"),
                AdminToken.load(config.tokenFile()), json));
    }

    /**
     * Binds {@code admin.listen} (port 0 picks a free port) and returns the bound address. Blocks
     * until bound: call it from the main thread, not from an event loop.
     *
     * @param channelType the server channel class matching {@code group}'s transport
     */
    public InetSocketAddress start(EventLoopGroup group, Class<? extends ServerChannel> channelType) {
        if (serverChannel != null) {
            throw new IllegalStateException("admin server already started on " + serverChannel.localAddress());
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channels.add(channel);
                        channel.pipeline().addLast(initializer);
                    }
                });
        InetSocketAddress listen = new InetSocketAddress(config.listen().host(), config.listen().port());
        io.netty.channel.ChannelFuture bind = bootstrap.bind(listen).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new IllegalStateException("admin.listen: " + config.listen() + ": cannot bind ("
                    + bind.cause().getMessage() + ")", bind.cause());
        }
        Channel channel = bind.channel();
        serverChannel = channel;
        channels.add(channel);
        InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
        log.info("admin port listening on {} (mutating calls {})", bound,
                config.tokenFile().isPresent() ? "need the token" : "disabled: no token file");
        return bound;
    }

    /** Closes the listening socket and every open admin connection; waits for them to close. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly();
        serverChannel = null;
    }
}
