package io.rollforward.proxy;

import io.rollforward.config.RollforwardConfig;
import io.rollforward.config.TlsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The settings a reload cannot apply to the running proxy, named as in the file. Sockets are
 * bound once (listen addresses), the cluster's identity and heartbeat links are the HA pair's
 * contract with its peer, and the replica set, with its pools, health checks and metrics, is
 * built once at start in this version.
 */
final class RestartOnlySettings {
    private RestartOnlySettings() {
    }

    /** The keys whose value differs between the two configs and that need a restart; empty if none. */
    static List<String> changed(RollforwardConfig running, RollforwardConfig next) {
        List<String> keys = new ArrayList<>();
        check(keys, "listen", running, next, RollforwardConfig::listen);
        check(keys, "tls.listen", running, next, c -> c.tls().map(TlsConfig::listen));
        check(keys, "admin", running, next, RollforwardConfig::admin);
        check(keys, "agents", running, next, RollforwardConfig::agents);
        check(keys, "cluster", running, next, RollforwardConfig::cluster);
        check(keys, "replicas", running, next, RollforwardConfig::replicas);
        check(keys, "eject-after", running, next, RollforwardConfig::ejectAfter);
        check(keys, "ejection-time", running, next, RollforwardConfig::ejectionTime);
        check(keys, "divergence-log-interval", running, next, RollforwardConfig::divergenceLogInterval);
        check(keys, "limits.replica-pool-size", running, next, c -> c.limits().replicaPoolSize());
        check(keys, "limits.replica-idle-timeout", running, next, c -> c.limits().replicaIdleTimeout());
        check(keys, "limits.connect-timeout", running, next, c -> c.limits().connectTimeout());
        return keys;
    }

    private static void check(List<String> keys, String key, RollforwardConfig a, RollforwardConfig b,
                              Function<RollforwardConfig, Object> value) {
        if (!Objects.equals(value.apply(a), value.apply(b))) {
            keys.add(key);
        }
    }
}
