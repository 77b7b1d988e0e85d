package io.rollforward.proxy.health;

import io.rollforward.config.RejoinConfig;
import io.rollforward.proxy.replica.Replica;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a replica's {@code rejoin: {hook: [...]}} command (e.g. a resync script) on a thread of its
 * own, never an event loop; completes with true when it exits 0 within its timeout. The command
 * gets {@code ROLLFORWARD_REPLICA} and {@code ROLLFORWARD_REPLICA_URL} in its environment.
 */
final class RejoinHook implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RejoinHook.class);

    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rejoin-hook");
        t.setDaemon(true);
        return t;
    });

    CompletableFuture<Boolean> run(Replica replica, RejoinConfig config) {
        return CompletableFuture.supplyAsync(() -> execute(replica, config), runner);
    }

    private static boolean execute(Replica replica, RejoinConfig config) {
        if (config.command().isEmpty()) {
            log.error("replica {}: rejoin policy is hook but no command is configured", replica.name());
            return false;
        }
        ProcessBuilder pb = new ProcessBuilder(config.command()).redirectErrorStream(true);
        pb.environment().put("ROLLFORWARD_REPLICA", replica.name());
        pb.environment().put("ROLLFORWARD_REPLICA_URL", "http://" + replica.config().address() + "/");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    return "";
                }
            });
            if (!p.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                log.error("replica {}: rejoin hook {} timed out after {}", replica.name(), config.command(), config.timeout());
                return false;
            }
            String out = output.getNow("");
            int code = p.exitValue();
            log.info("replica {}: rejoin hook {} exited {}{}", replica.name(), config.command(), code,
                    out.isEmpty() ? "" : ": " + out.lines().findFirst().orElse(""));
            return code == 0;
        } catch (IOException e) {
            log.error("replica {}: rejoin hook {} could not start: {}", replica.name(), config.command(), e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
