package io.rollforward.proxy.cli;

import io.netty.channel.EventLoopGroup;
import io.rollforward.config.AdminConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.Rollforward;
import io.rollforward.proxy.demo.DemoLogging;
import io.rollforward.proxy.demo.DemoScript;
import io.rollforward.proxy.demo.SampleOrigin;
import io.rollforward.proxy.transport.Transport;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rollforward demo}: two embedded sample origins, the proxy, and a scripted failover. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts two sample origins (master, backup) on loopback and the proxy in front of them,",
                "runs a short scripted failover, then keeps serving until Ctrl-C. Needs nothing else."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "Proxy port on 127.0.0.1 (default ${DEFAULT-VALUE}; a busy port falls back to a free one).")
    int port;

    @Option(names = "--exit", description = "Stop after the script instead of serving until Ctrl-C.")
    boolean exit;

    private final PrintStream out;

    public DemoCommand() {
        this(System.out);
    }

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Path logFile = Files.createTempFile("rollforward-demo-", ".log");
        DemoLogging logging = DemoLogging.toFile(logFile); // no log line cuts through the script's output
        Transport transport = Transport.best();
        EventLoopGroup originLoops = transport.newGroup(1);
        try (logging; SampleOrigin master = new SampleOrigin("master", transport, originLoops);
             SampleOrigin backup = new SampleOrigin("backup", transport, originLoops);
             Rollforward proxy = startProxy(master, backup)) {
            URI uri = URI.create("http://127.0.0.1:" + proxy.frontAddress().getPort() + "/");
            out.println("Rollforward demo");
            out.printf("   master origin  http://127.0.0.1:%d/%n", master.port());
            out.printf("   backup origin  http://127.0.0.1:%d/%n", backup.port());
            out.printf("   proxy          %s  (every request runs on both; the client gets one reply)%n", uri);
            DemoScript.Tally tally = new DemoScript(uri, master, out).run();
            out.printf("Log of the run (WARN and above): %s (%d lines)%n", logFile, Files.readAllLines(logFile).size());
            if (exit) {
                return tally.failed() == 0 ? 0 : 1;
            }
            logging.restore();
            out.println();
            out.println("The proxy keeps serving (the master stays dead, the backup answers). Try:");
            out.println("   curl -i " + uri);
            out.println("   curl -i '" + uri + "slow?ms=500'");
            out.println("   curl -s http://127.0.0.1:" + proxy.adminAddress().getPort() + "/metrics | grep ^rollforward_requests_total");
            out.println("   curl -s http://127.0.0.1:" + proxy.adminAddress().getPort() + "/status");
            out.println("Ctrl-C to stop.");
            StopSignal.await("demo", () -> { });
            return 0;
        } finally {
            originLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private Rollforward startProxy(SampleOrigin master, SampleOrigin backup) throws InterruptedException {
        List<ReplicaConfig> replicas = List.of(
                ReplicaConfig.of("master", HostPort.of("127.0.0.1", master.port())),
                ReplicaConfig.of("backup", HostPort.of("127.0.0.1", backup.port())));
        RollforwardConfig config = RollforwardConfig.of(HostPort.of("127.0.0.1", port), replicas)
                .withAdmin(new AdminConfig(HostPort.of("127.0.0.1", port == 0 ? 0 : 9901), Optional.empty()));
        try {
            return Rollforward.start(config);
        } catch (Exception bindFailed) {
            if (port == 0) {
                throw bindFailed;
            }
            out.printf("port %d or 9901 is busy (%s); using free ports instead%n", port, bindFailed.getMessage());
            return Rollforward.start(RollforwardConfig.of(HostPort.of("127.0.0.1", 0), replicas)
                    .withAdmin(new AdminConfig(HostPort.of("127.0.0.1", 0), Optional.empty())));
        }
    }
}
