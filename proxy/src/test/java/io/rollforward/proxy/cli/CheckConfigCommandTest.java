package io.rollforward.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** check-config: exit 0 for the shipped example, 1 with every error located for a broken file. */
class CheckConfigCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Path file) {
        return new CommandLine(new CheckConfigCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute("-c", file.toString());
    }

    @Test
    void shippedExampleIsValid() {
        assertThat(run(Path.of("..", "config", "examples", "two-apache.yaml"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("OK").contains("2 replicas");
    }

    @Test
    void everyErrorIsListedWithFileLineColumnAndKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rollforward.yaml");
        Files.writeString(file, """
                listen: 0.0.0.0:8080
                replicas:
                  - name: web1
                    url: http://10.0.0.11:80
                  - name: web2
                    url: htp://x
                stager: 100ms
                per-request-timeout: fast
                """);
        assertThat(run(file)).isEqualTo(ExitCodes.BAD_CONFIG);
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains(file + ":6:10: replicas[1].url: ")
                .contains(file + ":7:1: stager: ")
                .contains("did you mean 'stagger'")
                .contains(file + ":8:22: per-request-timeout: ")
                .contains("3 error(s)");
    }

    @Test
    void aReplicaThatIsTheProxysOwnListenIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rollforward.yaml");
        Files.writeString(file, """
                listen: 0.0.0.0:8080
                replicas:
                  - name: web1
                    url: http://10.0.0.11:80
                  - name: web2
                    url: http://127.0.0.1:8080
                """);
        assertThat(run(file)).isEqualTo(ExitCodes.BAD_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(file + ":6:10: replicas[1].url: http://127.0.0.1:8080 (expected: not the proxy itself: "
                        + "listen 0.0.0.0:8080 takes this address, so every request would come back to the proxy)")
                .contains("1 error(s)");
    }
}
