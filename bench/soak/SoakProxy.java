import io.rollforward.config.HostPort;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.Rollforward;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.exchange.FailureCause;
import io.rollforward.proxy.exchange.Outcome;
import io.rollforward.proxy.front.FrontEvents;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * The proxy for the soak, started in-process from the built jar because the YAML loader is not
 * there yet on this branch: default limits, replicas master and backup on loopback, the given
 * per-request timeout (seconds, default 5). Prints its counters when stopped (SIGTERM).
 *
 * <p>{@code java -cp proxy/target/rollforward.jar bench/soak/SoakProxy.java LISTEN MASTER BACKUP [TIMEOUT_S]}
 */
public final class SoakProxy {
    public static void main(String[] args) throws Exception {
        Map<String, LongAdder> counters = new ConcurrentHashMap<>();
        ExchangeEvents events = new ExchangeEvents() {
            @Override
            public void requestCompleted(String servedBy, Outcome outcome) {
                count("requests{outcome=" + outcome.tag() + "}");
            }

            @Override
            public void rolledForward(FailureCause cause) {
                count("rollforwards{cause=" + cause.tag() + "}");
            }

            @Override
            public void replicaFailed(io.rollforward.proxy.replica.Replica replica, FailureCause cause) {
                count("replica_failed{replica=" + replica.name() + ",cause=" + cause.tag() + "}");
            }

            @Override
            public void uncovered() {
                count("uncovered");
            }

            private void count(String key) {
                counters.computeIfAbsent(key, k -> new LongAdder()).increment();
            }
        };
        FrontEvents front = reason -> counters.computeIfAbsent("client_rejected{reason=" + reason + "}", k -> new LongAdder()).increment();
        RollforwardConfig config = RollforwardConfig.of(HostPort.of("127.0.0.1", Integer.parseInt(args[0])), List.of(
                ReplicaConfig.of("master", HostPort.of("127.0.0.1", Integer.parseInt(args[1]))),
                ReplicaConfig.of("backup", HostPort.of("127.0.0.1", Integer.parseInt(args[2])))))
                .withPerRequestTimeout(java.time.Duration.ofSeconds(Long.parseLong(args.length > 3 ? args[3] : "5")));
        Rollforward proxy = Rollforward.start(config, events, front);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            counters.forEach((k, v) -> System.out.println("COUNTER " + k + " " + v.sum()));
            System.out.flush();
            stopped.countDown();
        }));
        System.out.println("READY " + proxy.frontAddress());
        System.out.flush();
        stopped.await();
    }
}
