package io.rollforward.proxy.ring;

import io.rollforward.config.RingConfig;
import io.rollforward.heartbeat.AuthKey;
import io.rollforward.heartbeat.AuthKeyException;
import io.rollforward.heartbeat.ring.RingMember;
import io.rollforward.heartbeat.ring.VipMove;
import io.rollforward.proxy.admin.AdminResult;
import io.rollforward.proxy.ha.VipHolder;
import io.rollforward.proxy.metrics.RingMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import io.rollforward.heartbeat.ring.MemberLoad;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This proxy as a member of the N-way cluster: one {@link VipHolder} per VIP of the cluster
 * (address + gratuitous ARP or unsolicited NA, on their own threads), driven by
 * {@link RingMember}'s decisions; its load from the front; its moves and view in metrics.
 *
 * <p>Start-up (blocking, on the start-up thread): reads the key, checks every VIP can be handled
 * here, removes VIPs a crashed earlier run left, then joins. {@link #close()} releases every VIP
 * and leaves, so survivors take them over at once.
 */
public final class RingNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RingNode.class);
    private static final long WAIT_SECONDS = 10;

    private final RingConfig config;
    private final Map<String, VipHolder> vips;
    private final RingMetrics metrics;
    private RingMember member;

    private RingNode(RingConfig config, Map<String, VipHolder> vips, RingMetrics metrics) {
        this.config = config;
        this.vips = vips;
        this.metrics = metrics;
    }

    /** Production: the real VIPs. */
    public static RingNode start(RingConfig config, RingMetrics metrics, Supplier<MemberLoad> load) {
        return start(config, metrics, load, vip -> VipHolder.of(Optional.of(vip.vip())));
    }

    /**
     * @param holders the holder of each VIP (tests pass recording ones)
     * @throws IllegalStateException with a message for the operator when something is missing
     */
    public static RingNode start(RingConfig config, RingMetrics metrics, Supplier<MemberLoad> load,
                                 Function<RingConfig.RingVip, VipHolder> holders) {
        AuthKey key;
        try {
            key = AuthKey.read(config.keyFile());
        } catch (AuthKeyException e) {
            throw new IllegalStateException("cluster.key-file: " + e.getMessage(), e);
        }
        Map<String, VipHolder> vips = new LinkedHashMap<>();
        config.vips().forEach(v -> vips.put(v.id(), holders.apply(v)));
        RingNode node = new RingNode(config, vips, metrics);
        try {
            vips.values().forEach(VipHolder::preflight);
            vips.values().forEach(v -> waitFor(v.release(), "removing a VIP left from an earlier run"));
            node.member = RingMember.start(config, key, node.new Local(), load, node.new Events());
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** {@code POST /cluster/vips/{address}/failback}: {@code address} with or without its prefix. */
    public CompletionStage<AdminResult> failback(String address) {
        Optional<String> id = config.vips().stream().map(RingConfig.RingVip::id)
                .filter(v -> v.equals(address) || v.startsWith(address + "/")).findFirst();
        if (id.isEmpty()) {
            return CompletableFuture.completedFuture(AdminResult.notFound("no cluster VIP " + address));
        }
        return member.failback(id.get()).thenApply(answer -> switch (answer) {
            case "accepted" -> AdminResult.accepted("failback of " + id.get() + " accepted: release, then acquire at home");
            case "already_home", "home_not_in_view", "not_manual" -> AdminResult.conflict("failback of " + id.get()
                    + ": " + answer.replace('_', ' '));
            default -> AdminResult.accepted("failback of " + id.get() + " " + answer);
        });
    }

    /** For {@code GET /status}: view, coordinator, each VIP's holder and home, each member's load. */
    public Map<String, Object> status() {
        Map<String, Object> m = member.status();
        @SuppressWarnings("unchecked")
        Map<String, Object> vipStatus = (Map<String, Object>) m.get("vips");
        vips.forEach((id, holder) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = (Map<String, Object>) vipStatus.get(id);
            entry.put("held_here", holder.isHeld());
        });
        return m;
    }

    @Override
    public void close() {
        if (member != null) {
            member.close(); // releases every VIP first, then leaves
        }
        vips.values().forEach(VipHolder::close);
    }

    private static void waitFor(CompletableFuture<?> future, String what) {
        try {
            future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            log.warn("{} failed: {}", what, e.getCause().getMessage());
        } catch (TimeoutException e) {
            log.warn("{} did not finish within {}s", what, WAIT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Local implements RingMember.LocalVips {
        @Override
        public CompletableFuture<Void> acquire(String vip) {
            return vips.get(vip).acquire().whenComplete((ok, e) -> metrics.vipsHeld(held()));
        }

        @Override
        public CompletableFuture<Void> release(String vip) {
            return vips.get(vip).release().whenComplete((ok, e) -> metrics.vipsHeld(held()));
        }

        private int held() {
            return (int) vips.values().stream().filter(VipHolder::isHeld).count();
        }
    }

    private final class Events implements RingMember.Events {
        @Override
        public void viewChanged(List<String> members, boolean quorum) {
            metrics.view(members.size(), quorum);
        }

        @Override
        public void moved(VipMove move) {
            metrics.moved(move.cause());
        }
    }
}
