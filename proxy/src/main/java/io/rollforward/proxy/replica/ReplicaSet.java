package io.rollforward.proxy.replica;

import io.rollforward.config.HostPort;
import io.rollforward.config.Limits;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.proxy.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicas in priority order. The first one in service is the acting master; every other one
 * in service receives a copy of each request. Listeners hear of every change of service state
 * (once per change, not per request), so in-flight exchanges can roll forward at once.
 */
public final class ReplicaSet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaSet.class);

    private final List<Replica> replicas;
    private final List<BiConsumer<Replica, Boolean>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Resolves every replica's host once, here (at start-up, never on an event loop), as nginx and
     * HAProxy do by default: a replica whose name does not resolve stops the start with a message
     * naming it, and a DNS change takes a restart.
     *
     * @throws IllegalArgumentException if a replica's host does not resolve
     */
    public ReplicaSet(List<ReplicaConfig> configs, Transport transport, Limits limits) {
        this(configs, transport, limits, hp -> new InetSocketAddress(hp.host(), hp.port()));
    }

    ReplicaSet(List<ReplicaConfig> configs, Transport transport, Limits limits,
               Function<HostPort, InetSocketAddress> lookup) {
        List<Replica> list = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            ReplicaConfig c = configs.get(i);
            list.add(new Replica(c, i, new ReplicaPool(resolve(c, lookup), transport, limits)));
        }
        this.replicas = List.copyOf(list);
    }

    private static InetSocketAddress resolve(ReplicaConfig c, Function<HostPort, InetSocketAddress> lookup) {
        InetSocketAddress address = lookup.apply(c.address());
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("replica " + c.name() + ": host \"" + c.address().host()
                    + "\" does not resolve (fix DNS or /etc/hosts, or give its IP address in replicas[].url)");
        }
        return address;
    }

    /** All replicas in priority order, in service or not. */
    public List<Replica> all() {
        return replicas;
    }

    /** The replicas in service, in priority order: the acting master first. */
    public List<Replica> inService() {
        return Replica.inServiceOf(replicas);
    }

    public Optional<Replica> byName(String name) {
        return replicas.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** Called with (replica, inService) on every change; listeners run on the caller's thread. */
    public void onChange(BiConsumer<Replica, Boolean> listener) {
        listeners.add(listener);
    }

    /** Puts a replica in or out of service; a no-op when it already is. */
    public void setInService(Replica replica, boolean value, String reason) {
        synchronized (replica) {
            if (replica.inService() == value) {
                return;
            }
            replica.inService(value);
        }
        log.warn("replica {} is now {} ({})", replica.name(), value ? "UP" : "DOWN", reason);
        for (BiConsumer<Replica, Boolean> l : listeners) {
            l.accept(replica, value);
        }
    }

    @Override
    public void close() {
        replicas.forEach(r -> r.pool().close());
    }
}
