package io.rollforward.proxy;

import io.rollforward.config.ConfigException;
import io.rollforward.config.ConfigLoader;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.admin.AdminResult;
import io.rollforward.proxy.exchange.ExchangeSettings;
import io.rollforward.proxy.front.ExchangeFactory;
import io.rollforward.proxy.front.FrontInitializer;
import io.rollforward.proxy.front.ServerTls;
import io.rollforward.proxy.front.TlsFrontInitializer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP and {@code POST /reload}: re-reads the config file and, when it is valid and changes
 * nothing that needs a restart ({@link RestartOnlySettings}), makes it serve new requests:
 * replicas and groups ({@link ReplicaReload}), timeouts, stagger, fail-on-status, mirror,
 * served-by header and the other exchange settings (one swap in {@link ExchangeFactory#serve}),
 * limits for new connections, and certificates for new TLS handshakes. Established connections and exchanges in flight carry on with what they
 * started with. A refused reload is logged with the same errors {@code check-config} prints, and
 * the running config stays. One reload at a time.
 */
final class ConfigReload {
    private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

    private final Supplier<RollforwardConfig> running;
    private final Consumer<RollforwardConfig> applied;
    private final ReplicaReload replicas;
    private final FrontInitializer front;
    private final TlsFrontInitializer tlsFront;
    private volatile Path file;

    ConfigReload(Supplier<RollforwardConfig> running, Consumer<RollforwardConfig> applied, ReplicaReload replicas,
                 FrontInitializer front, TlsFrontInitializer tlsFront) {
        this.running = running;
        this.applied = applied;
        this.replicas = replicas;
        this.front = front;
        this.tlsFront = tlsFront;
    }

    void file(Path value) {
        file = value;
    }

    synchronized AdminResult fromFile() {
        Path source = file;
        if (source == null) {
            return refused("no config file to reload from (the proxy was not started with run -c FILE)");
        }
        RollforwardConfig next;
        try {
            next = ConfigLoader.load(source);
        } catch (ConfigException e) {
            return refused(source + " has errors, the running config stays:\n" + e.getMessage());
        }
        return apply(next);
    }

    synchronized AdminResult apply(RollforwardConfig next) {
        RollforwardConfig now = running.get();
        List<String> restartOnly = RestartOnlySettings.changed(now, next);
        if (!restartOnly.isEmpty()) {
            return refused("not reloaded: " + String.join(", ", restartOnly)
                    + " changed, which needs a restart; the running config stays");
        }
        ReplicaReload.Plan plan;
        try {
            plan = replicas.plan(now, next);
        } catch (IllegalArgumentException e) {
            return refused("not reloaded: " + e.getMessage() + "; the running config stays");
        }
        if (next.tls().isPresent() && tlsFront != null) {
            next.tls().get().warnings().forEach(w -> log.warn("{}", w));
            try {
                tlsFront.certificates(ServerTls.contexts(next.tls().get()), next.tls().get());
            } catch (SSLException | RuntimeException e) {
                return refused("not reloaded: tls certificates: " + e.getMessage() + "; the running config stays");
            }
        }
        front.limits(next.limits());
        String what = replicas.apply(plan, ExchangeSettings.from(next), next);
        applied.accept(next);
        log.info("config reloaded{} ({}): new requests use it, requests in flight finish as they started",
                file == null ? "" : " from " + file, what);
        return AdminResult.ok("reloaded" + (file == null ? "" : " " + file) + " (" + what + ")");
    }

    private static AdminResult refused(String why) {
        log.warn("reload refused: {}", why);
        return AdminResult.conflict(why);
    }
}
