package io.rollforward.proxy.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.rollforward.config.Limits;
import io.rollforward.proxy.exchange.ClientOutboundBudget;

/**
 * The plain client connection's pipeline:
 *
 * <pre>
 *   [ClientOutboundBudget] -> ConnectionLimiter -> HttpResponseEncoder -> StrictRequestDecoder -> HeaderReadTimeout
 *     -> RequestHeadValidator -> ViaLoopCheck -> IdleClose -> BodyLimit (aggregator) -> ClientRequestReceiver
 * </pre>
 *
 * Nothing reaches an {@link io.rollforward.proxy.exchange.Exchange} before the whole request
 * passed every check: a refused request is answered and its connection closed, and no replica
 * sees a byte of it. Typed on {@link Channel} so tests and the fuzzer can run it on an
 * {@code EmbeddedChannel}. {@link TlsFrontInitializer} puts TLS in front of the same HTTP/1.1
 * handlers, or of {@link Http2Front}'s, as ALPN decides.
 *
 * <p>The limits are read when a connection opens: after a reload ({@link #limits(Limits)}) new
 * connections get the new ones and open connections keep theirs.
 */
public final class FrontInitializer extends ChannelInitializer<Channel> {
    private volatile Limits limits;
    private final ExchangeFactory exchanges;
    private final FrontEvents events;
    private final ConnectionLimiter connectionLimiter;
    private final FrontDrain drain = new FrontDrain();
    private final String nodeName;
    private final ClientOutboundBudget outboundBudget;

    /** A front whose loop check looks for {@code Via: ... rollforward} (tests of other rows). */
    public FrontInitializer(Limits limits, ExchangeFactory exchanges, FrontEvents events) {
        this(limits, exchanges, events, "rollforward");
    }

    /** @param nodeName this proxy's name in {@code Via}: a request carrying it is a loop */
    public FrontInitializer(Limits limits, ExchangeFactory exchanges, FrontEvents events, String nodeName) {
        this(limits, exchanges, events, nodeName, null);
    }

    /**
     * @param outboundBudget counts what each client has not read yet in the buffer budget; null:
     *                       not counted (tests of other rows)
     */
    public FrontInitializer(Limits limits, ExchangeFactory exchanges, FrontEvents events, String nodeName,
                            ClientOutboundBudget outboundBudget) {
        this.outboundBudget = outboundBudget;
        this.nodeName = nodeName;
        this.limits = limits;
        this.exchanges = exchanges;
        this.events = events;
        this.connectionLimiter = new ConnectionLimiter(limits.maxConnections(), events);
    }

    /** Client connections open now. */
    public int openConnections() {
        return connectionLimiter.open();
    }

    /** The graceful stop of every connection this front (and its TLS listener) accepted. */
    public FrontDrain drain() {
        return drain;
    }

    /** New connections from now on get {@code value} (reload). */
    public void limits(Limits value) {
        limits = value;
        connectionLimiter.max(value.maxConnections());
    }

    Limits limits() {
        return limits;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        countOutbound(p);
        p.addLast(connectionLimiter);
        drain.track(ch);
        addHttp1(p, limits);
    }

    /** Counts and tracks a connection of the TLS listener (its handlers follow the handshake). */
    void acceptTls(Channel ch) {
        countOutbound(ch.pipeline());
        ch.pipeline().addLast(connectionLimiter);
        drain.track(ch);
    }

    private void countOutbound(ChannelPipeline p) {
        if (outboundBudget != null) {
            p.addLast(outboundBudget);
        }
    }

    /** The HTTP/1.1 handlers, after the limiter (plain) or the TLS handler. */
    void addHttp1(ChannelPipeline p, Limits limits) {
        // HttpServerCodec's decoder is private; the front needs its own (see StrictRequestDecoder).
        // The codec's HEAD bookkeeping is not needed: the Exchange never streams a HEAD reply.
        p.addLast(new HttpResponseEncoder());
        p.addLast(new StrictRequestDecoder(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxInitialLineLength())
                .setMaxHeaderSize(limits.maxHeaderSize())
                .setMaxChunkSize(64 * 1024)));
        p.addLast(new HeaderReadTimeout(limits.headerReadTimeout().toMillis()));
        p.addLast(new RequestHeadValidator(limits.maxRequestBody()));
        p.addLast(new ViaLoopCheck(nodeName));
        p.addLast(new IdleClose(limits.idleTimeout().toMillis()));
        p.addLast(new BodyLimit((int) Math.min(Integer.MAX_VALUE, limits.maxRequestBody())));
        p.addLast(new ClientRequestReceiver(exchanges, events, drain));
    }

    /** The handlers of one HTTP/2 stream: the same checks and aggregation, then the same receiver. */
    void addHttp2Stream(ChannelPipeline p, Limits limits) {
        p.addLast(new RequestHeadValidator(limits.maxRequestBody()));
        p.addLast(new ViaLoopCheck(nodeName));
        p.addLast(new BodyLimit((int) Math.min(Integer.MAX_VALUE, limits.maxRequestBody())));
        p.addLast(new ClientRequestReceiver(exchanges, events, drain));
    }
}
