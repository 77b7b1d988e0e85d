package io.rollforward.heartbeat.ring;

import io.rollforward.config.RingConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The controller of seed 001 around {@link VipAssignment}: keeps the view, the members' reports,
 * the last decision, when each member joined (for {@code failback-delay}) and the manual
 * failback requests, and tells what changed. Every member runs one; only the coordinator's
 * decisions are sent, the others follow the decisions they receive ({@link #adopt}) so any of
 * them can take over as coordinator with the cluster's state.
 *
 * <p>Pure logic: no I/O, no threads, time from an injected monotonic clock (nanoseconds). Not
 * thread-safe: drive it from one thread, and call {@link #decide()} after every input and every
 * second, so that failback delays fire.
 */
public final class RingPolicy {
    /** Answer to a manual failback request. */
    public enum FailbackRequest { ACCEPTED, UNKNOWN_VIP, ALREADY_HOME, HOME_NOT_IN_VIEW, NOT_MANUAL }

    /** A new decision and the moves it makes. */
    public record Decision(Map<String, String> holders, List<VipMove> moves) {
        public Decision {
            holders = Map.copyOf(holders);
            moves = List.copyOf(moves);
        }
    }

    private final List<VipHome> vips;
    private final int memberCount;
    private final boolean majority;
    private final RingConfig.Failback failback;
    private final long failbackDelay;
    private final LongSupplier nanoClock;

    private List<String> view = List.of();
    private final Map<String, Long> joinedAt = new HashMap<>();
    private final Map<String, MemberReport> reports = new HashMap<>();
    private Map<String, String> decision = new LinkedHashMap<>();
    /** Per VIP, the last member given it: what a move is counted from. */
    private final Map<String, String> lastHolder = new HashMap<>();
    private final Set<String> requested = new HashSet<>();
    /** VIPs whose holder left the view since they were last assigned. */
    private final Set<String> orphaned = new HashSet<>();
    /**
     * VIPs away from home because their home failed (TAKEOVER) or after a merge: only these wait
     * for failback. A VIP placed elsewhere only because its home was not up yet (cold start) goes
     * home as soon as the home joins.
     */
    private final Set<String> displaced = new HashSet<>();
    private boolean merged;
    /** VIPs a merge took from a holder to give them to another: the move is counted as a merge. */
    private final Set<String> releasedAtMerge = new HashSet<>();

    public RingPolicy(List<VipHome> vips, int memberCount, RingConfig.Quorum quorum, RingConfig.Failback failback,
                      Duration failbackDelay, LongSupplier nanoClock) {
        this.vips = List.copyOf(vips);
        this.memberCount = memberCount;
        this.majority = quorum == RingConfig.Quorum.MAJORITY;
        this.failback = failback;
        this.failbackDelay = failbackDelay.toNanos();
        this.nanoClock = nanoClock;
    }

    /** From config. */
    public static RingPolicy of(RingConfig config, LongSupplier nanoClock) {
        List<VipHome> vips = config.vips().stream().map(v -> new VipHome(v.id(), v.home())).toList();
        return new RingPolicy(vips, config.members().size(), config.quorum(), config.failback(),
                config.failbackDelay(), nanoClock);
    }

    /**
     * A new view (members in view order). {@code merge}: it joins partitions (MERGE3), so holders
     * reported twice are resolved and counted as such.
     */
    public void view(List<String> members, boolean merge) {
        long now = nanoClock.getAsLong();
        joinedAt.keySet().retainAll(members);
        members.forEach(m -> joinedAt.putIfAbsent(m, now));
        reports.keySet().retainAll(members);
        for (Map.Entry<String, String> e : decision.entrySet()) {
            if (!members.contains(e.getValue())) {
                orphaned.add(e.getKey());
            }
        }
        requested.removeIf(vip -> home(vip).map(h -> !members.contains(h)).orElse(true));
        view = List.copyOf(members);
        merged |= merge;
    }

    public void report(MemberReport report) {
        if (view.contains(report.member())) {
            reports.put(report.member(), report);
        }
    }

    /** A decision received from the coordinator: followed here too, so this member can carry on from it. */
    public void adopt(Map<String, String> holders) {
        decision = new LinkedHashMap<>(holders);
        lastHolder.putAll(holders);
    }

    /** Whether this partition may hold VIPs: more than half the members, or {@code quorum: none}. */
    public boolean hasQuorum() {
        return !majority || view.size() * 2 > memberCount;
    }

    /** {@code POST /cluster/vips/{vip}/failback}, at the coordinator. */
    public FailbackRequest requestFailback(String vip) {
        Optional<String> home = home(vip);
        if (home.isEmpty()) {
            return FailbackRequest.UNKNOWN_VIP;
        }
        if (failback != RingConfig.Failback.MANUAL) {
            return FailbackRequest.NOT_MANUAL;
        }
        if (home.get().equals(decision.get(vip))) {
            return FailbackRequest.ALREADY_HOME;
        }
        if (!view.contains(home.get())) {
            return FailbackRequest.HOME_NOT_IN_VIEW;
        }
        requested.add(vip);
        return FailbackRequest.ACCEPTED;
    }

    /** Evaluates the assignment; a decision when it differs from the last one. */
    public Optional<Decision> decide() {
        Map<String, String> next = VipAssignment.decide(view, hasQuorum(), vips, reports, decision, dueForHome());
        if (next.equals(decision)) {
            return Optional.empty();
        }
        List<VipMove> moves = new ArrayList<>();
        for (VipHome v : vips) {
            if (!next.containsKey(v.vip())) {
                // released first, to move next: after a merge the holder may be one the other side
                // chose, unknown to this coordinator; the move is counted from the member that has it
                reportedHolder(v.vip()).ifPresent(holder -> {
                    lastHolder.put(v.vip(), holder);
                    if (merged) {
                        releasedAtMerge.add(v.vip());
                    }
                });
            }
        }
        for (Map.Entry<String, String> e : next.entrySet()) {
            String vip = e.getKey();
            String to = e.getValue();
            String from = lastHolder.get(vip);
            if (to.equals(from)) {
                continue;
            }
            VipMove.Cause cause = cause(vip, from, to);
            moves.add(new VipMove(vip, from, to, cause));
            lastHolder.put(vip, to);
            orphaned.remove(vip);
            releasedAtMerge.remove(vip);
            if (to.equals(home(vip).orElse(null))) {
                requested.remove(vip);
                displaced.remove(vip);
            } else if (cause == VipMove.Cause.TAKEOVER || cause == VipMove.Cause.MERGE) {
                displaced.add(vip);
            }
        }
        merged = false;
        decision = new LinkedHashMap<>(next);
        return Optional.of(new Decision(next, moves));
    }

    /** A member in the view that reports holding {@code vip} now. */
    private Optional<String> reportedHolder(String vip) {
        return view.stream()
                .filter(m -> reports.containsKey(m) && reports.get(m).held().contains(vip))
                .findFirst();
    }

    private VipMove.Cause cause(String vip, String from, String to) {
        if (from == null) {
            return VipMove.Cause.START;
        }
        if (orphaned.contains(vip) || !view.contains(from)) {
            return VipMove.Cause.TAKEOVER;
        }
        if (releasedAtMerge.contains(vip)) {
            return VipMove.Cause.MERGE;
        }
        if (to.equals(home(vip).orElse(null))) {
            if (!displaced.contains(vip)) {
                return VipMove.Cause.START;
            }
            return requested.contains(vip) ? VipMove.Cause.FAILBACK_MANUAL : VipMove.Cause.FAILBACK_AUTO;
        }
        return merged ? VipMove.Cause.MERGE : VipMove.Cause.TAKEOVER;
    }

    private Set<String> dueForHome() {
        long now = nanoClock.getAsLong();
        Set<String> due = new HashSet<>();
        for (VipHome vip : vips) {
            Long since = joinedAt.get(vip.home());
            boolean delayPassed = since != null && now - since >= failbackDelay;
            if (!displaced.contains(vip.vip()) || requested.contains(vip.vip())
                    || (failback == RingConfig.Failback.AUTO && delayPassed)) {
                due.add(vip.vip());
            }
        }
        return due;
    }

    private Optional<String> home(String vip) {
        return vips.stream().filter(v -> v.vip().equals(vip)).map(VipHome::home).findFirst();
    }

    /** The last decision: VIP → holder. */
    public Map<String, String> holders() {
        return Map.copyOf(decision);
    }

    public List<String> view() {
        return view;
    }

    public Map<String, MemberReport> reports() {
        return Map.copyOf(reports);
    }

    public List<VipHome> vips() {
        return vips;
    }
}
