package io.rollforward.heartbeat.ring;

import io.rollforward.config.RingConfig;
import io.rollforward.heartbeat.AuthKey;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node as a member of the ring: joins the channel, publishes its load and held VIPs every
 * second, and takes or gives up VIPs as the coordinator decides. When it is the coordinator (the
 * view's first member, seed 001's controller) it also runs {@link RingPolicy} and broadcasts its
 * decisions. A member of a partition without quorum releases every VIP at once, by itself.
 *
 * <p>Threads: everything runs on one thread of its own ("rollforward-ring"); JGroups callbacks
 * and the VIP futures hand their results to it.
 */
public final class RingMember implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RingMember.class);

    /** The VIPs on this host: each call returns at once; the future completes when it is done. */
    public interface LocalVips {
        CompletableFuture<Void> acquire(String vip);

        CompletableFuture<Void> release(String vip);
    }

    /** What the member tells the rest of the proxy (metrics, logs); called on the ring thread. */
    public interface Events {
        Events NONE = new Events() { };

        default void viewChanged(List<String> members, boolean quorum) {
        }

        /** A move decided by this node as coordinator. */
        default void moved(VipMove move) {
        }
    }

    private final RingConfig config;
    private final LocalVips vips;
    private final Supplier<MemberLoad> load;
    private final Events events;
    private final RingPolicy policy;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rollforward-ring");
        t.setDaemon(true);
        return t;
    });
    /** Ring thread only: VIPs this node was told to hold, and the ones actually added. */
    private final Set<String> wanted = new HashSet<>();
    private final Set<String> held = new HashSet<>();
    private RingChannel channel;
    private volatile List<String> view = List.of();
    private volatile Map<String, String> holders = Map.of();
    private volatile Map<String, MemberReport> reports = Map.of();
    private volatile boolean closed;

    private RingMember(RingConfig config, LocalVips vips, Supplier<MemberLoad> load, Events events) {
        this.config = config;
        this.vips = vips;
        this.load = load;
        this.events = events;
        this.policy = RingPolicy.of(config, System::nanoTime);
    }

    /** Joins the cluster (blocking, up to the join timeout). */
    public static RingMember start(RingConfig config, AuthKey key, LocalVips vips, Supplier<MemberLoad> load,
                                   Events events) {
        RingMember member = new RingMember(config, vips, load, events);
        member.channel = RingChannel.create(config, key, new RingChannel.Listener() {
            @Override
            public void view(List<String> members, boolean merge) {
                member.onView(members, merge);
            }

            @Override
            public void message(String sender, RingMessage message) {
                member.onMessage(sender, message);
            }
        }, member.thread);
        member.channel.connect(config);
        member.thread.scheduleAtFixedRate(member::tick, 1, 1, TimeUnit.SECONDS);
        log.info("ring member {} joined on {}: {} members configured, VIPs {}", config.node(),
                config.self().address(), config.members().size(), policy(member).vips());
        return member;
    }

    private static RingPolicy policy(RingMember m) {
        return m.policy;
    }

    private void onView(List<String> members, boolean merge) {
        if (closed) {
            return;
        }
        view = members;
        policy.view(members, merge);
        boolean quorum = policy.hasQuorum();
        log.info("ring view {}{}: coordinator {}{}", members, merge ? " (merge)" : "", members.get(0),
                quorum ? "" : ", no quorum: releasing every VIP");
        events.viewChanged(members, quorum);
        if (!quorum) {
            apply(Set.of());
        }
        report();
        coordinate();
    }

    private void onMessage(String sender, RingMessage message) {
        if (closed) {
            return;
        }
        if (message instanceof RingMessage.Report r) {
            policy.report(r.report());
            reports = policy.reports();
            coordinate();
        } else if (message instanceof RingMessage.Decision d) {
            if (view.isEmpty() || !view.get(0).equals(sender)) {
                log.debug("decision from {} ignored: the coordinator is {}", sender, view.isEmpty() ? "none" : view.get(0));
                return;
            }
            if (!sender.equals(config.node())) {
                policy.adopt(d.holders()); // our own is in the policy already, and may be newer than this copy
            }
            holders = Map.copyOf(d.holders());
            if (policy.hasQuorum()) {
                Set<String> mine = new TreeSet<>();
                d.holders().forEach((vip, holder) -> {
                    if (holder.equals(config.node())) {
                        mine.add(vip);
                    }
                });
                apply(mine);
            }
        } else if (message instanceof RingMessage.FailbackRequest f && isCoordinator()) {
            log.info("failback of {} requested by {}: {}", f.vip(), sender, policy.requestFailback(f.vip()));
            coordinate();
        }
    }

    /** Every second: publish the load, and as coordinator decide (failback delays) and repeat the decision. */
    private void tick() {
        try {
            report();
            if (isCoordinator()) {
                coordinate();
                channel.broadcast(new RingMessage.Decision(policy.holders()));
            }
        } catch (RuntimeException e) {
            log.error("ring tick failed", e);
        }
    }

    private void coordinate() {
        if (!isCoordinator()) {
            return;
        }
        policy.decide().ifPresent(decision -> {
            decision.moves().forEach(m -> {
                log.info("VIP {}: {} -> {} ({})", m.vip(), m.from() == null ? "nobody" : m.from(), m.to(), m.cause().tag());
                events.moved(m);
            });
            channel.broadcast(new RingMessage.Decision(decision.holders()));
        });
    }

    /** Releases what is no longer wanted, then acquires what is newly wanted. */
    private void apply(Set<String> mine) {
        Set<String> release = new TreeSet<>(wanted);
        release.removeAll(mine);
        Set<String> acquire = new TreeSet<>(mine);
        acquire.removeAll(wanted);
        wanted.clear();
        wanted.addAll(mine);
        for (String vip : release) {
            vips.release(vip).whenComplete((ok, e) -> thread.execute(() -> {
                if (e != null) {
                    log.warn("releasing VIP {} failed: {}", vip, e.getMessage());
                }
                held.remove(vip);
                report();
            }));
        }
        for (String vip : acquire) {
            vips.acquire(vip).whenComplete((ok, e) -> thread.execute(() -> {
                if (e != null) {
                    log.warn("acquiring VIP {} failed: {}", vip, e.getMessage());
                } else if (wanted.contains(vip)) {
                    held.add(vip);
                }
                report();
            }));
        }
    }

    private void report() {
        if (closed) {
            return;
        }
        channel.broadcast(new RingMessage.Report(new MemberReport(config.node(), load.get(), held)));
    }

    /**
     * {@code POST /cluster/vips/{vip}/failback}: decided here when this node is the coordinator,
     * else sent to it. The answer says which.
     */
    public CompletableFuture<String> failback(String vip) {
        return CompletableFuture.supplyAsync(() -> {
            if (isCoordinator()) {
                RingPolicy.FailbackRequest answer = policy.requestFailback(vip);
                coordinate();
                return answer.name().toLowerCase(java.util.Locale.ROOT);
            }
            channel.toCoordinator(new RingMessage.FailbackRequest(vip));
            return "forwarded to " + (view.isEmpty() ? "the coordinator" : view.get(0));
        }, thread);
    }

    public boolean isCoordinator() {
        List<String> v = view;
        return !v.isEmpty() && v.get(0).equals(config.node());
    }

    public List<String> view() {
        return view;
    }

    /** The last decision this node knows: VIP → holder. */
    public Map<String, String> holders() {
        return holders;
    }

    /** For {@code GET /status}. */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> v = view;
        m.put("mode", "ring");
        m.put("node", config.node());
        m.put("view", v);
        m.put("coordinator", v.isEmpty() ? null : v.get(0));
        m.put("quorum", policy.hasQuorum());
        Map<String, Object> vipStatus = new LinkedHashMap<>();
        for (RingConfig.RingVip vip : config.vips()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("holder", holders.get(vip.id()));
            entry.put("home", vip.home());
            vipStatus.put(vip.id(), entry);
        }
        m.put("vips", vipStatus);
        Map<String, Object> loads = new LinkedHashMap<>();
        reports.forEach((member, r) -> loads.put(member, Map.of("inflight", r.load().inflight(),
                "requests_per_second", r.load().requestsPerSecond(), "held", new TreeSet<>(r.held()))));
        m.put("members", loads);
        return m;
    }

    /** Leaves the cluster after releasing every VIP (so a survivor can take them at once). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> released = CompletableFuture.supplyAsync(() -> {
            List<CompletableFuture<Void>> all = wanted.stream().map(vips::release).toList();
            wanted.clear();
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        }, thread).thenCompose(f -> f);
        try {
            released.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("releasing the VIPs on leave: {}", e.toString());
        }
        closed = true;
        channel.close();
        thread.shutdownNow();
    }
}
