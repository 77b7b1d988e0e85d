package io.rollforward.heartbeat.ring;

import java.util.Set;

/**
 * What a member publishes about itself: its load and the VIPs it holds now (the addresses it has
 * actually added, not the ones it was told to take). Sent every second and after every change.
 */
public record MemberReport(String member, MemberLoad load, Set<String> held) {
    public MemberReport {
        held = Set.copyOf(held);
    }
}
