package io.rollforward.config.internal;

import io.rollforward.config.HostPort;
import io.rollforward.config.TlsCertificate;
import io.rollforward.config.TlsConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads the {@code tls} section and checks each certificate and key file it names. */
final class TlsReader {
    private static final HostPort NO_ADDRESS = new HostPort("invalid", 0);
    private static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");
    private static final Set<String> ALPN = Set.of("h2", "http/1.1");
    private static final ScalarType<String> PROTOCOL = new ScalarType<>("TLSv1.3 or TLSv1.2", text -> oneOf(PROTOCOLS, text));
    private static final ScalarType<String> APPLICATION = new ScalarType<>("h2 or http/1.1", text -> oneOf(ALPN, text));

    private TlsReader() {
    }

    static TlsConfig read(Section tls, Path baseDir) {
        HostPort listen = tls.required("listen", ScalarType.LISTEN_ADDRESS).orElse(NO_ADDRESS);
        List<String> warnings = new ArrayList<>();
        List<TlsCertificate> certificates = certificates(tls, baseDir, warnings);
        List<String> protocols = tls.list("protocols", PROTOCOL).orElse(TlsConfig.DEFAULT_PROTOCOLS);
        tls.rule("protocols", !tls.isEmptyList("protocols"), "at least one of TLSv1.3, TLSv1.2");
        List<String> alpn = tls.list("alpn", APPLICATION).orElse(TlsConfig.DEFAULT_ALPN);
        tls.rule("alpn", !tls.isEmptyList("alpn"), "at least one of h2, http/1.1");
        int maxStreams = tls.atLeast("max-concurrent-streams", 1, TlsConfig.DEFAULT_MAX_CONCURRENT_STREAMS);
        tls.finish();
        return new TlsConfig(listen, certificates, protocols, alpn, maxStreams, warnings);
    }

    private static List<TlsCertificate> certificates(Section tls, Path baseDir, List<String> warnings) {
        List<TlsCertificate> result = new ArrayList<>();
        String expected = "a list of {certificate: FILE.pem, private-key: FILE.key}, the default first";
        if (!tls.has("certificates")) {
            tls.missing("certificates", expected);
            return result;
        }
        Optional<SequenceNode> sequence = tls.sequence("certificates", expected);
        if (sequence.isEmpty()) {
            return result;
        }
        List<Node> elements = sequence.get().getValue();
        tls.rule("certificates", !tls.isEmptyList("certificates"), "at least one certificate");
        for (int i = 0; i < elements.size(); i++) {
            String path = tls.pathOf("certificates") + "[" + i + "]";
            Section.open(elements.get(i), path, tls.problems(), "{certificate: FILE.pem, private-key: FILE.key}")
                    .flatMap(entry -> certificate(entry, baseDir, warnings))
                    .ifPresent(result::add);
        }
        return result;
    }

    private static Optional<TlsCertificate> certificate(Section entry, Path baseDir, List<String> warnings) {
        Optional<Path> certificate = entry.required("certificate", ScalarType.file(baseDir));
        Optional<Path> key = entry.required("private-key", ScalarType.file(baseDir));
        entry.finish();
        if (certificate.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        CertificateFiles.Result checked = CertificateFiles.check(certificate.get(), key.get(), Clock.systemUTC());
        if (checked.error() != null) {
            entry.problems().report(entry.markOf(checked.errorAt()), entry.pathOf(checked.errorAt()), checked.error());
            return Optional.empty();
        }
        if (checked.warning() != null) {
            warnings.add(checked.warning());
        }
        return Optional.of(new TlsCertificate(certificate.get(), key.get(), checked.names()));
    }

    private static String oneOf(Set<String> allowed, String text) {
        if (!allowed.contains(text)) {
            throw new IllegalArgumentException(text);
        }
        return text;
    }
}
