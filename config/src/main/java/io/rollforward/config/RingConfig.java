package io.rollforward.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The N-way proxy cluster ({@code cluster.mode: ring}, the Diehard ring of seed paper 001): every
 * member serves its home VIPs; when a member leaves the view its VIPs go to the least-loaded
 * survivor, and come back when it returns. Membership is JGroups over TCP between the
 * {@code members}.
 *
 * @param node           this node's name, one of {@code members}
 * @param members        every node of the cluster, the same list on each
 * @param keyFile        shared secret that authenticates and encrypts cluster traffic
 * @param failureTimeout a member silent this long is suspected (JGroups FD_ALL3 timeout); the
 *                       other timeouts derive from it (default 1s)
 * @param vips           the virtual IPs, each with its home member
 * @param failback       how a VIP returns to its home member (default {@link Failback#AUTO})
 * @param failbackDelay  with {@code auto}, how long the home member must be back first (default 5s)
 * @param quorum         whether a partition smaller than a majority releases its VIPs
 *                       (default {@link Quorum#MAJORITY})
 */
public record RingConfig(String node, List<Member> members, Path keyFile, Duration failureTimeout,
                         List<RingVip> vips, Failback failback, Duration failbackDelay, Quorum quorum) {
    public static final Duration DEFAULT_FAILURE_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_FAILBACK_DELAY = Duration.ofSeconds(5);

    public RingConfig {
        members = List.copyOf(members);
        vips = List.copyOf(vips);
    }

    /** A member of the cluster and the TCP address its cluster traffic uses. */
    public record Member(String name, HostPort address) {
    }

    /** A VIP (as in pair mode) and the member that holds it while it is in the view. */
    public record RingVip(VipConfig vip, String home) {
        /** {@code address/prefix}, the VIP's identity in the cluster. */
        public String id() {
            return vip.address() + "/" + vip.prefix();
        }
    }

    /** How a VIP returns home. */
    public enum Failback {
        /** After {@code failback-delay} of the home member being in the view. */
        AUTO,
        /** On {@code POST /cluster/vips/{address}/failback}. */
        MANUAL
    }

    /** What a partition does. */
    public enum Quorum {
        /** A partition of at most half the members holds no VIP. */
        MAJORITY,
        /** Every partition keeps serving (two holders of a VIP are possible until the merge). */
        NONE
    }

    /** This node's own member entry. */
    public Member self() {
        return member(node).orElseThrow();
    }

    public Optional<Member> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
