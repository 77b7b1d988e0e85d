package io.rollforward.proxy.front;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.rollforward.config.Limits;
import io.rollforward.config.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS listener's connection pipeline: the TLS handshake, with the certificate picked by SNI,
 * then ALPN decides between the HTTP/1.1 handlers of {@link FrontInitializer} and
 * {@link Http2Front}'s (a client that offers no ALPN gets HTTP/1.1).
 *
 * <pre>
 *   ConnectionLimiter -> SniHandler (becomes SslHandler) -> ProtocolSwitch -> HTTP/1.1 or HTTP/2 handlers
 * </pre>
 *
 * After a reload ({@link #certificates}) new handshakes get the new certificates; connections
 * already open keep the one they negotiated.
 */
public final class TlsFrontInitializer extends ChannelInitializer<Channel> {
    private static final Logger log = LoggerFactory.getLogger(TlsFrontInitializer.class);

    private final FrontInitializer front;
    private volatile Mapping<String, SslContext> certificates;
    private volatile int maxConcurrentStreams;

    public TlsFrontInitializer(FrontInitializer front, Mapping<String, SslContext> certificates, TlsConfig tls) {
        this.front = front;
        this.certificates = certificates;
        this.maxConcurrentStreams = tls.maxConcurrentStreams();
    }

    /** New handshakes from now on use these (reload). */
    public void certificates(Mapping<String, SslContext> value, TlsConfig tls) {
        certificates = value;
        maxConcurrentStreams = tls.maxConcurrentStreams();
    }

    @Override
    protected void initChannel(Channel ch) {
        Limits limits = front.limits();
        ch.attr(FrontProtocol.TLS).set(true);
        front.acceptTls(ch);
        ch.pipeline().addLast(new SniHandler(certificates, 16 * 1024, limits.headerReadTimeout().toMillis()));
        ch.pipeline().addLast(new ProtocolSwitch(front, limits, maxConcurrentStreams));
    }

    private static final class ProtocolSwitch extends ApplicationProtocolNegotiationHandler {
        private final FrontInitializer front;
        private final Limits limits;
        private final int maxConcurrentStreams;

        ProtocolSwitch(FrontInitializer front, Limits limits, int maxConcurrentStreams) {
            super(ApplicationProtocolNames.HTTP_1_1);
            this.front = front;
            this.limits = limits;
            this.maxConcurrentStreams = maxConcurrentStreams;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                Http2Front.configure(ctx.pipeline(), front, limits, maxConcurrentStreams);
            } else {
                front.addHttp1(ctx.pipeline(), limits);
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            // a scanner or a client that refused the certificate: common, not worth a warning each
            log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
