package io.rollforward.proxy;

import io.rollforward.config.RollforwardConfig;
import io.rollforward.config.TlsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The settings a reload cannot apply to the running proxy, named as in the file. Sockets are
 * bound once (listen addresses, the agents' heartbeat port), the cluster's identity, mode and
 * links are the HA pair's or ring's contract with its peers, the node name is in every {@code Via}
 * the front checks for loops, and the ordering queues, access log file and pool sizing are made
 * once at start. Replicas and groups are not here: {@link ReplicaReload} applies them.
 */
final class RestartOnlySettings {
    private RestartOnlySettings() {
    }

    /** The keys whose value differs between the two configs and that need a restart; empty if none. */
    static List<String> changed(RollforwardConfig running, RollforwardConfig next) {
        List<String> keys = new ArrayList<>();
        // "cluster" may come twice (pair and ring are both under it): name it once

        check(keys, "listen", running, next, RollforwardConfig::listen);
        check(keys, "tls.listen", running, next, c -> c.tls().map(TlsConfig::listen));
        check(keys, "admin", running, next, RollforwardConfig::admin);
        check(keys, "agents", running, next, RollforwardConfig::agents);
        check(keys, "cluster", running, next, RollforwardConfig::cluster);
        check(keys, "cluster", running, next, RollforwardConfig::ring);
        check(keys, "node-name", running, next, RollforwardConfig::nodeName);
        check(keys, "ordering", running, next, RollforwardConfig::ordering);
        check(keys, "access-log", running, next, RollforwardConfig::accessLog);
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
        if (!Objects.equals(value.apply(a), value.apply(b)) && !keys.contains(key)) {
            keys.add(key);
        }
    }
}
