package io.rollforward.heartbeat.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ha.cf's {@code bcast} and {@code mcast} media for real. Broadcast and multicast cannot stay on
 * loopback, so each case makes a network namespace with a veth pair, runs
 * {@link MediaProbe} (two nodes) inside it in a child JVM, and removes the namespace afterwards,
 * also on failure. Needs root and iproute2; skipped with the reason otherwise.
 */
class UdpMediaNamespaceTest {
    private static final String IFACE = "hb0";
    private String ns;

    @BeforeEach
    void makeNamespace() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "iproute2 'ip' not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for ip netns");
        ns = "rfhb-" + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
        run("ip", "netns", "add", ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
        // A veth pair with both ends inside: the kernel here has no dummy driver.
        run("ip", "-n", ns, "link", "add", IFACE, "type", "veth", "peer", "name", IFACE + "p");
        run("ip", "-n", ns, "link", "set", IFACE + "p", "up");
        run("ip", "-n", ns, "addr", "add", "10.199.0.1/24", "brd", "+", "dev", IFACE);
        run("ip", "-n", ns, "link", "set", IFACE, "multicast", "on", "up");
    }

    @AfterEach
    void removeNamespace() throws Exception {
        if (ns != null) {
            run("ip", "netns", "del", ns);
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"bcast, epoll", "bcast, nio", "mcast, epoll", "mcast, nio"})
    void twoNodesHearEachOtherAndNotThemselves(String mode, String transport) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java,
                "-cp", System.getProperty("java.class.path"),
                "-Dio.netty.leakDetection.level=paranoid",
                MediaProbe.class.getName(), mode, IFACE, "6940", transport));
        if (mode.equals("mcast")) {
            cmd.add("239.255.94.1");
        }
        Result r = exec(cmd, 60);
        System.out.println(r.output.lines().filter(l -> l.startsWith("PROBE")).toList());
        assertThat(r.output).as(r.output).contains("PROBE OK").doesNotContain("LEAK:");
        assertThat(r.exit).as(r.output).isZero();
    }

    private record Result(int exit, String output) {
    }

    private static void run(String... cmd) throws Exception {
        Result r = exec(List.of(cmd), 10);
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.exit + "): " + r.output);
        }
    }

    private static Result exec(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd) + "\n"
                    + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
