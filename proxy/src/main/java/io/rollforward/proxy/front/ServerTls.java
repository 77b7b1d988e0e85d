package io.rollforward.proxy.front;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import io.rollforward.config.TlsCertificate;
import io.rollforward.config.TlsConfig;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS contexts of the HTTPS listener, one per certificate, and the SNI mapping from a server
 * name to its context (the first certificate for no or an unknown name). OpenSSL (BoringSSL from
 * netty-tcnative) when it loads, the JDK's provider otherwise. Ciphers: Netty's HTTP/2 list
 * (RFC 9113 §9.2.2: AEAD with forward secrecy only), which also suits HTTP/1.1.
 */
public final class ServerTls {
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private ServerTls() {
    }

    /** The provider the TLS front uses here. */
    public static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** Logs which TLS implementation is in use (once at start). */
    public static void logProvider() {
        if (OpenSsl.isAvailable()) {
            log.info("TLS: OpenSSL ({})", OpenSsl.versionString());
        } else {
            log.info("TLS: the JDK provider (OpenSSL unavailable: {})", String.valueOf(OpenSsl.unavailabilityCause()));
        }
    }

    /** Reads every certificate of {@code tls}; a new call after a reload gives new handshakes the new files. */
    public static Mapping<String, SslContext> contexts(TlsConfig tls) throws SSLException {
        SslContext first = null;
        DomainWildcardMappingBuilder<SslContext> mapping = null;
        for (TlsCertificate certificate : tls.certificates()) {
            SslContext context = context(certificate, tls);
            if (mapping == null) {
                first = context;
                mapping = new DomainWildcardMappingBuilder<>(first);
            }
            for (String name : certificate.names()) {
                mapping.add(name, context);
            }
        }
        if (mapping == null) {
            throw new SSLException("tls.certificates is empty");
        }
        return mapping.build();
    }

    private static SslContext context(TlsCertificate certificate, TlsConfig tls) throws SSLException {
        return SslContextBuilder.forServer(certificate.certificate().toFile(), certificate.privateKey().toFile())
                .sslProvider(provider())
                .protocols(tls.protocols())
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, tls.alpn()))
                .build();
    }
}
