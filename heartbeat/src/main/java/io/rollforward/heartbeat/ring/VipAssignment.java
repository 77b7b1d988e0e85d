package io.rollforward.heartbeat.ring;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who holds each VIP: a pure, deterministic function of the view, the members' reports, the
 * previous decision and which VIPs may go home now. The coordinator evaluates it; every member
 * obeys the result. Seed 001's algorithms in one table, per VIP (first matching row wins):
 * <pre>
 * condition                                                           desired holder     origin
 * no quorum                                                           nobody             (partition rule)
 * current holder in view, and it is home or the VIP may not go home   current            keep: no needless move
 * home in view                                                        home               FAIL_BACK (alg. 4) / start
 * otherwise                                                           least-loaded member TAKE_OVER (alg. 2)
 * </pre>
 * "Current holder": the previous decision's holder if still in the view, else a view member that
 * reports holding it (the home first, then by name: after a merge or a new coordinator).
 * "Least loaded": fewest in-flight exchanges, then lowest request rate, then name; members that
 * have not reported yet come last.
 *
 * <p>Release before acquire: the desired holder is given the VIP only when it already holds it,
 * or when every other view member has reported and none of them holds it; otherwise the decision
 * is "nobody" until they report (at most a report interval) or report that they released it. So
 * within one view no VIP is ever told to two holders, and a move between two live members is
 * release-then-acquire. A member not heard from yet counts as possibly holding: after a merge
 * (or at a cold start, when partial views merge) the other side's members have not reported to
 * this coordinator, and one of them may still hold a VIP its old partition gave it. Duplicate
 * holders other than the desired one are simply not assigned the VIP, and release it.
 */
public final class VipAssignment {
    private VipAssignment() {
    }

    /**
     * @param view       the members in the current view
     * @param quorum     whether this partition may hold VIPs
     * @param vips       every VIP with its home
     * @param reports    latest report per member (members outside the view are ignored)
     * @param previous   the last decision (VIP → holder); VIPs without a holder absent
     * @param mayGoHome  VIPs whose failback is due (auto delay passed, or requested)
     * @return VIP → holder for each VIP that has one, in {@code vips} order
     */
    public static Map<String, String> decide(List<String> view, boolean quorum, List<VipHome> vips,
                                             Map<String, MemberReport> reports, Map<String, String> previous,
                                             Set<String> mayGoHome) {
        Map<String, String> decision = new LinkedHashMap<>();
        if (!quorum || view.isEmpty()) {
            return decision;
        }
        for (VipHome vip : vips) {
            Set<String> holding = holders(vip.vip(), view, reports);
            String current = current(vip, view, holding, previous);
            boolean homeInView = view.contains(vip.home());
            String desired;
            if (current != null && (current.equals(vip.home()) || !(homeInView && mayGoHome.contains(vip.vip())))) {
                desired = current;
            } else if (homeInView) {
                desired = vip.home();
            } else {
                desired = leastLoaded(view, reports);
            }
            holding.remove(desired);
            boolean desiredHolds = reports.containsKey(desired) && reports.get(desired).held().contains(vip.vip());
            boolean othersHeard = view.stream().allMatch(m -> m.equals(desired) || reports.containsKey(m));
            if (desiredHolds || (holding.isEmpty() && othersHeard)) {
                decision.put(vip.vip(), desired);
            }
        }
        return decision;
    }

    /** The least-loaded member of the view (ties by name; unreported members last). */
    public static String leastLoaded(List<String> view, Map<String, MemberReport> reports) {
        Comparator<String> byLoad = Comparator.<String, Boolean>comparing(m -> !reports.containsKey(m))
                .thenComparing(m -> Optional.ofNullable(reports.get(m)).map(MemberReport::load).orElse(MemberLoad.IDLE),
                        MemberLoad.LEAST_LOADED_FIRST)
                .thenComparing(Comparator.naturalOrder());
        return view.stream().min(byLoad).orElseThrow();
    }

    private static Set<String> holders(String vip, List<String> view, Map<String, MemberReport> reports) {
        Set<String> holding = new TreeSet<>();
        for (String member : view) {
            MemberReport report = reports.get(member);
            if (report != null && report.held().contains(vip)) {
                holding.add(member);
            }
        }
        return holding;
    }

    private static String current(VipHome vip, List<String> view, Set<String> holding, Map<String, String> previous) {
        String before = previous.get(vip.vip());
        if (before != null && view.contains(before)) {
            return before;
        }
        if (holding.contains(vip.home())) {
            return vip.home();
        }
        return holding.isEmpty() ? null : holding.iterator().next();
    }
}
