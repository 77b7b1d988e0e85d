package io.rollforward.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.TlsConfig;
import io.rollforward.proxy.testing.ApacheInstance;
import io.rollforward.proxy.testing.ProxyUnderTest;
import io.rollforward.testkit.TestCertificates;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser through the proxy: headless Chromium loads a page with a stylesheet and three
 * images over HTTPS with HTTP/2. The page's own script reports, into the DOM Chromium dumps,
 * the protocol of the navigation, whether every image decoded and whether the CSS applied; both
 * Apaches' access logs show every resource (mirror: the backup ran each request too). A
 * screenshot of the page is written to {@code target/browser-h2.png} (the README's picture).
 */
class BrowserOverHttp2Test {
    private static final List<String> RESOURCES = List.of("/site/index.html", "/site/style.css",
            "/site/red.png", "/site/green.png", "/site/blue.png");
    @TempDir
    Path dir;

    @Test
    void chromiumLoadsAPageWithImagesAndCssOverHttp2() throws Exception {
        assumeTrue(TestCertificates.available(), "needs the openssl CLI (Debian openssl)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "needs chromium (Debian chromium)");
        ApacheInstance.assumeAvailable();
        TestCertificates.Pair certificate = TestCertificates.create(dir, "site", "localhost");
        try (ApacheInstance master = ApacheInstance.start("master"); ApacheInstance backup = ApacheInstance.start("backup")) {
            for (ApacheInstance origin : List.of(master, backup)) {
                writeSite(origin.docRoot().resolve("site"));
            }
            TlsConfig tls = Http2LimitsTest.HttpsFrontTestConfig.tls(dir, "alpn: [h2, http/1.1]\n");
            try (ProxyUnderTest proxy = new ProxyUnderTest.Builder().config(c -> c
                    .withReplicas(List.of(ReplicaConfig.of("master", master.hostPort()), ReplicaConfig.of("backup", backup.hostPort())))
                    .withTls(tls)).start()) {
                String url = "https://localhost:" + proxy.proxy().tlsAddress().orElseThrow().getPort() + "/site/index.html";
                String dom = chromium(certificate, url, "--dump-dom");
                assertThat(dom).contains("data-result=\"protocol=h2 images=3/3 css=rgb(10, 20, 30)\"");
                chromium(certificate, url, "--screenshot=" + Path.of("target", "browser-h2.png").toAbsolutePath(),
                        "--window-size=900,560", "--hide-scrollbars");
                assertThat(Path.of("target", "browser-h2.png")).isNotEmptyFile();
            }
            for (ApacheInstance origin : List.of(master, backup)) {
                String log = Files.readString(origin.docRoot().getParent().resolve("logs").resolve("access.log"));
                for (String resource : RESOURCES) {
                    assertThat(log).as(origin.name() + " access log").contains("\"GET " + resource + " HTTP/1.1\" 200");
                }
            }
        }
    }

    /** Runs headless Chromium with a fresh profile, trusting only the test certificate's key. */
    private String chromium(TestCertificates.Pair certificate, String url, String... action) throws Exception {
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir, "profile"),
                "--ignore-certificate-errors-spki-list=" + spkiHash(certificate.certificate())));
        command.addAll(List.of(action));
        command.add(url);
        Path out = Files.createTempFile(dir, "chromium-", ".out");
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(Duration.ofSeconds(90).toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** base64(SHA-256(SubjectPublicKeyInfo)), the form Chromium's SPKI list takes. */
    private static String spkiHash(Path pem) throws Exception {
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
    }

    private static void writeSite(Path site) throws IOException {
        Files.createDirectories(site);
        Files.writeString(site.resolve("index.html"), """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Rollforward over HTTP/2</title>
                <link rel="stylesheet" href="style.css"></head>
                <body>
                <h1>Served through Rollforward: HTTPS, HTTP/2, mirrored to two Apache servers</h1>
                <p id="result">loading...</p>
                <div><img src="red.png" alt="red"><img src="green.png" alt="green"><img src="blue.png" alt="blue"></div>
                <script>
                window.addEventListener('load', () => {
                  const images = [...document.images].filter(i => i.complete && i.naturalWidth > 0).length;
                  const protocol = performance.getEntriesByType('navigation')[0].nextHopProtocol;
                  const css = getComputedStyle(document.body).backgroundColor;
                  const text = 'protocol=' + protocol + ' images=' + images + '/' + document.images.length + ' css=' + css;
                  document.body.setAttribute('data-result', text);
                  document.getElementById('result').textContent = text;
                });
                </script>
                </body></html>
                """);
        Files.writeString(site.resolve("style.css"), """
                body { background: rgb(10, 20, 30); color: #e8e8e8; font-family: sans-serif; margin: 32px; }
                h1 { font-size: 22px; }
                img { width: 240px; height: 240px; margin-right: 16px; border-radius: 12px; }
                """);
        image(site.resolve("red.png"), new Color(0xD0, 0x30, 0x30));
        image(site.resolve("green.png"), new Color(0x30, 0xA0, 0x50));
        image(site.resolve("blue.png"), new Color(0x30, 0x60, 0xD0));
    }

    private static void image(Path file, Color color) throws IOException {
        BufferedImage image = new BufferedImage(240, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 240, 240);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
