package io.rollforward.config;

import java.util.List;

/**
 * The HTTPS listener: TLS terminated by the proxy, HTTP/2 or HTTP/1.1 chosen by ALPN.
 *
 * @param listen               where TLS clients connect (required in the section)
 * @param certificates         one or more; SNI picks by the certificate's names, the first is the
 *                             default for clients that send no or an unknown name (required)
 * @param protocols            TLS versions offered (default TLSv1.3, TLSv1.2)
 * @param alpn                 application protocols offered, in preference order (default h2, http/1.1)
 * @param maxConcurrentStreams HTTP/2 streams a client may have open on one connection; more are
 *                             refused with RST_STREAM REFUSED_STREAM (default 100)
 * @param warnings             things check-config warns about but that do not stop the start
 *                             (an expired certificate), each naming its file
 */
public record TlsConfig(HostPort listen, List<TlsCertificate> certificates, List<String> protocols,
                        List<String> alpn, int maxConcurrentStreams, List<String> warnings) {
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final List<String> DEFAULT_ALPN = List.of("h2", "http/1.1");
    public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 100;

    public TlsConfig {
        certificates = List.copyOf(certificates);
        protocols = List.copyOf(protocols);
        alpn = List.copyOf(alpn);
        warnings = List.copyOf(warnings);
    }
}
