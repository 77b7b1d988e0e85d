import io.rollforward.config.AdminConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.Limits;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.Rollforward;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Stand-in for {@code rollforward run -c FILE} while the YAML loader is not on main: builds the
 * same config the bench writes as YAML (listen, replicas, per-request-timeout 5s, admin,
 * limits.max-connections 20000) from records and runs the proxy until SIGTERM.
 *
 * <pre>java -cp proxy/target/rollforward.jar bench/tools/RollforwardLauncher.java LISTEN ADMIN MASTER [BACKUP]</pre>
 * (ports on 127.0.0.1). run.sh uses it only when {@code check-config} cannot read the YAML, and
 * says so in RESULTS.md.
 */
public final class RollforwardLauncher {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: RollforwardLauncher LISTEN_PORT ADMIN_PORT MASTER_PORT [BACKUP_PORT]");
            System.exit(2);
        }
        List<ReplicaConfig> replicas = new ArrayList<>();
        replicas.add(ReplicaConfig.of("master", HostPort.of("127.0.0.1", Integer.parseInt(args[2]))));
        if (args.length > 3) {
            replicas.add(ReplicaConfig.of("backup", HostPort.of("127.0.0.1", Integer.parseInt(args[3]))));
        }
        Limits d = Limits.DEFAULT;
        Limits limits = new Limits(d.maxRequestBody(), d.maxHeaderSize(), d.maxInitialLineLength(),
                d.maxResponseBuffer(), d.headerReadTimeout(), d.idleTimeout(), 20_000, d.replicaPoolSize(),
                d.replicaIdleTimeout(), d.connectTimeout());
        RollforwardConfig config = RollforwardConfig.of(HostPort.of("127.0.0.1", Integer.parseInt(args[0])), replicas)
                .withPerRequestTimeout(Duration.ofSeconds(5))
                .withLimits(limits)
                .withAdmin(new AdminConfig(HostPort.of("127.0.0.1", Integer.parseInt(args[1])), Optional.empty()));
        Rollforward proxy = Rollforward.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            stopped.countDown();
        }, "rollforward-launcher-stop"));
        stopped.await();
    }
}
