package io.rollforward.proxy.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Clients of the test's HTTPS front: they trust any certificate (the test made it) and say what they got. */
final class TlsClients {
    private TlsClients() {
    }

    static SSLContext trustingAll() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }

    /** An HTTP/2 client: concurrent requests to one host share one connection, one stream each. */
    static HttpClient http2() throws GeneralSecurityException {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trustingAll())
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The subject of the certificate the server presents for {@code serverName} (null: no SNI). */
    static String certificateSubject(InetSocketAddress server, String serverName) throws Exception {
        try (SSLSocket socket = (SSLSocket) trustingAll().getSocketFactory()
                .createSocket(server.getHostString(), server.getPort())) {
            socket.setSoTimeout(10_000);
            if (serverName != null) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
                socket.setSSLParameters(parameters);
            }
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    /** Result of one curl run. */
    record Curl(int exitCode, String writeOut, byte[] body) {
    }

    static boolean curlAvailable() {
        try {
            return new ProcessBuilder("curl", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code curl -sk VERSION_FLAG URL -o FILE -w '%{http_version} %{http_code}'}. */
    static Curl curl(Path dir, String versionFlag, String url, String... extra) throws IOException, InterruptedException {
        Path out = java.nio.file.Files.createTempFile(dir, "curl-", ".body");
        List<String> command = new ArrayList<>(List.of("curl", "-sk", "--max-time", "30", versionFlag, "-o",
                out.toString(), "-w", "%{http_version} %{http_code}"));
        command.addAll(List.of(extra));
        command.add(url);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] writeOut = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Curl(p.exitValue(), new String(writeOut, StandardCharsets.UTF_8),
                java.nio.file.Files.readAllBytes(out));
    }
}
