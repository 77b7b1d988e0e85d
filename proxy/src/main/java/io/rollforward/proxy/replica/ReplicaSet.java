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
 *
 * <p>A reload changes the members with {@link #plan} and {@link #install}; the list itself is
 * immutable and replaced whole, so a reader sees the old set or the new one.
 */
public final class ReplicaSet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaSet.class);

    private final Transport transport;
    private final Limits limits;
    private final Function<HostPort, InetSocketAddress> lookup;
    private volatile List<Replica> replicas;
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
        this.transport = transport;
        this.limits = limits;
        this.lookup = lookup;
        this.replicas = List.of();
        this.replicas = plan(configs).next();
    }

    /**
     * What {@code configs} would make of the running replicas: kept ones are the same objects,
     * added ones get a pool (no connection is opened yet). Changes nothing; hosts are resolved
     * here, off the event loops.
     *
     * @throws IllegalArgumentException if an added replica's host does not resolve
     */
    public ReplicaSetChange plan(List<ReplicaConfig> configs) {
        List<Replica> before = replicas;
        List<Replica> next = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            ReplicaConfig c = configs.get(i);
            Replica same = before.stream()
                    .filter(r -> r.name().equals(c.name()) && r.config().address().equals(c.address()))
                    .findFirst().orElse(null);
            next.add(same != null ? same : new Replica(c, i, new ReplicaPool(resolve(c, lookup), transport, limits)));
        }
        return new ReplicaSetChange(configs, next, before);
    }

    /**
     * Makes {@code change} the running set: kept replicas take their new settings and place,
     * {@link #all()} lists the new order. Retired replicas' pools stay open for the exchanges
     * still using them; whoever retires them closes the pools.
     *
     * @throws IllegalStateException if the set changed since {@code change} was planned
     */
    public synchronized void install(ReplicaSetChange change) {
        List<Replica> before = replicas;
        if (!before.containsAll(change.kept()) || !before.containsAll(change.retired())
                || before.size() != change.kept().size() + change.retired().size()) {
            throw new IllegalStateException("the replica set changed since this reload was planned");
        }
        for (int i = 0; i < change.next().size(); i++) {
            Replica r = change.next().get(i);
            if (before.contains(r)) {
                r.reconfigure(change.configs().get(i), i);
            }
        }
        replicas = change.next();
    }

    private static InetSocketAddress resolve(ReplicaConfig c, Function<HostPort, InetSocketAddress> lookup) {
        InetSocketAddress address = lookup.apply(c.address());
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("replica " + c.name() + ": host \"" + c.address().host()
                    + "\" does not resolve (fix DNS or /etc/hosts, or give its IP address in replicas[].url)");
        }
        return address;
    }

    /** True while {@code replica} belongs to the running set (not retired by a reload). */
    public boolean contains(Replica replica) {
        return replicas.contains(replica);
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
