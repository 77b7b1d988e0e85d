package io.rollforward.heartbeat.ha;

import io.rollforward.config.Timing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transition table of {@link RoleStateMachine}, driven by a fake clock. Each scenario is a
 * script of steps separated by ';':
 * {@code start}, {@code stop}, {@code +Ns} (advance N seconds, ticking every second like the
 * keepalive timer), {@code links udp=up serial=down} (failure detector verdicts),
 * {@code peer ROLE} (role in the peer's heartbeat), {@code ping yes|no},
 * {@code expect ROLE} (this node's role now), {@code changes N} (role changes so far).
 */
class RoleStateMachineTest {
    /** keepalive 1s, warntime 2s, deadtime 5s, initdead 20s. */
    private static final Timing TIMING = new Timing(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(20));

    record Scenario(String name, String node, String preferred, boolean autoFailback, boolean ping, String script) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Scenario as(String node, String name, String script) {
        return new Scenario(name, node, "a", false, false, script);
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                as("a", "cold start waits initdead for a silent peer",
                        "start; expect STANDBY; links udp=down serial=down; +19s; expect STANDBY; +1s; expect ACTIVE"),
                as("b", "cold start waits initdead on the non-preferred node too",
                        "start; +19s; expect STANDBY; +1s; expect ACTIVE"),
                as("b", "peer heard in time as ACTIVE: stay standby",
                        "start; +3s; links udp=up serial=up; peer ACTIVE; +60s; expect STANDBY"),
                as("b", "peer dead on UDP but alive on serial: no takeover",
                        "start; links udp=up serial=up; peer ACTIVE; links udp=down serial=up; +60s; expect STANDBY"),
                as("b", "peer dead on every link: takeover at once",
                        "start; links udp=up serial=up; peer ACTIVE; links udp=down serial=up; expect STANDBY;"
                                + " links udp=down serial=down; expect ACTIVE"),
                as("b", "peer LEAVING: takeover at once, no deadtime",
                        "start; links udp=up serial=up; peer ACTIVE; peer LEAVING; expect ACTIVE"),
                as("b", "peer LEAVING before this node started: takeover at start",
                        "links udp=up; peer LEAVING; start; expect ACTIVE"),
                new Scenario("ping nodes unreachable: no takeover of a dead peer", "b", "a", false, true,
                        "start; ping no; links udp=up; peer ACTIVE; links udp=down; +60s; expect STANDBY;"
                                + " ping yes; expect ACTIVE"),
                new Scenario("ping nodes unreachable: no takeover of a LEAVING peer", "b", "a", false, true,
                        "start; ping no; links udp=up; peer ACTIVE; peer LEAVING; +60s; expect STANDBY"),
                new Scenario("ping nodes never reported: no cold-start takeover", "a", "a", false, true,
                        "start; +60s; expect STANDBY; ping yes; expect ACTIVE"),
                new Scenario("ping nodes not configured: ping input ignored", "b", "a", false, false,
                        "start; ping no; links udp=up; peer ACTIVE; links udp=down; expect ACTIVE"),
                as("a", "both standby: the preferred node takes the VIP at once",
                        "start; links udp=up; peer STANDBY; expect ACTIVE"),
                as("b", "both standby: the other waits deadtime for the preferred one",
                        "start; links udp=up; peer STANDBY; +4s; expect STANDBY; +1s; expect ACTIVE"),
                as("a", "peer alive but role unknown: no decision yet",
                        "start; links udp=up; +60s; expect STANDBY; peer ACTIVE; +60s; expect STANDBY"),
                as("a", "split brain: the preferred node keeps the VIP",
                        "start; +20s; expect ACTIVE; links udp=up; peer ACTIVE; +10s; expect ACTIVE"),
                as("b", "split brain: the non-preferred node yields",
                        "start; +20s; expect ACTIVE; links udp=up; peer ACTIVE; expect STANDBY; +60s; expect STANDBY"),
                new Scenario("split brain, preferred neither: first name keeps", "a", "z", false, false,
                        "start; +20s; expect ACTIVE; links udp=up; peer ACTIVE; expect ACTIVE"),
                new Scenario("split brain, preferred neither: later name yields", "b", "z", false, false,
                        "start; +20s; expect ACTIVE; links udp=up; peer ACTIVE; expect STANDBY"),
                as("b", "a returning peer's old ACTIVE role is forgotten: no false split brain",
                        "start; links udp=up; peer ACTIVE; links udp=down; expect ACTIVE; links udp=up; expect ACTIVE;"
                                + " peer STANDBY; +60s; expect ACTIVE"),
                new Scenario("auto-failback on: active non-preferred yields after initdead", "b", "a", true, false,
                        "start; +20s; expect ACTIVE; links udp=up; peer STANDBY; +19s; expect ACTIVE; +1s;"
                                + " expect STANDBY; peer ACTIVE; +60s; expect STANDBY"),
                new Scenario("auto-failback on: returning preferred takes over once the peer yields", "a", "a", true, false,
                        "start; +2s; links udp=up; peer ACTIVE; +60s; expect STANDBY; peer STANDBY; expect ACTIVE"),
                new Scenario("auto-failback on: a failback the preferred does not take is not offered again", "b", "a",
                        true, false, "start; +20s; expect ACTIVE; links udp=up; peer STANDBY; +20s; expect STANDBY;"
                        + " +5s; expect ACTIVE; changes 4; +120s; expect ACTIVE; changes 4"),
                new Scenario("auto-failback on: a non-preferred returning peer gets nothing back", "a", "a", true, false,
                        "start; +20s; expect ACTIVE; links udp=up; peer STANDBY; +120s; expect ACTIVE; changes 2"),
                as("b", "auto-failback off: active non-preferred keeps the VIP",
                        "start; +20s; expect ACTIVE; links udp=up; peer STANDBY; +120s; expect ACTIVE; changes 2"),
                as("a", "auto-failback off: returning preferred stays standby",
                        "start; +2s; links udp=up; peer ACTIVE; +120s; expect STANDBY"),
                as("a", "graceful stop from ACTIVE leaves, and LEAVING is final",
                        "start; +20s; expect ACTIVE; stop; expect LEAVING; links udp=up; peer LEAVING; +60s; expect LEAVING"),
                as("b", "graceful stop from STANDBY",
                        "start; stop; expect LEAVING; +60s; expect LEAVING"));
    }

    private long now;

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void transitionTable(Scenario s) {
        List<RoleChange> changes = new ArrayList<>();
        String peer = s.node().equals("a") ? "b" : "a";
        RoleStateMachine machine = new RoleStateMachine(s.node(), peer, s.preferred(), s.autoFailback(), s.ping(),
                TIMING, () -> now, changes::add);
        int stepNo = 0;
        for (String step : s.script().split(";")) {
            stepNo++;
            String[] words = step.trim().split("\\s+");
            switch (words[0]) {
                case "start" -> machine.start();
                case "stop" -> machine.stop();
                case "peer" -> machine.peerRole(Role.valueOf(words[1]));
                case "ping" -> machine.pingNodesReachable(words[1].equals("yes"));
                case "links" -> {
                    Map<String, Boolean> links = new LinkedHashMap<>();
                    for (int i = 1; i < words.length; i++) {
                        String[] kv = words[i].split("=");
                        links.put(kv[0], kv[1].equals("up"));
                    }
                    machine.peerLinks(links);
                }
                case "changes" -> assertThat(changes)
                        .as("step %d '%s' of: %s", stepNo, step.trim(), s.script())
                        .hasSize(Integer.parseInt(words[1]));
                case "expect" -> assertThat(machine.role())
                        .as("step %d '%s' of: %s; changes %s", stepNo, step.trim(), s.script(), changes)
                        .isEqualTo(Role.valueOf(words[1]));
                default -> {
                    assertThat(words[0]).as("step %d of %s", stepNo, s.name()).matches("\\+\\d+s");
                    int seconds = Integer.parseInt(words[0].substring(1, words[0].length() - 1));
                    for (int i = 0; i < seconds; i++) {
                        now += Duration.ofSeconds(1).toNanos();
                        machine.tick();
                    }
                }
            }
        }
        // Every reported change is a real change and the last one leaves the machine where it is.
        assertThat(changes).allSatisfy(c -> assertThat(c.from()).isNotEqualTo(c.to()));
        if (!changes.isEmpty()) {
            assertThat(changes.get(changes.size() - 1).to()).isEqualTo(machine.role());
        }
    }

    @Test
    void changesCarryFromToAndReason() {
        List<RoleChange> changes = new ArrayList<>();
        RoleStateMachine machine = new RoleStateMachine("b", "a", "a", false, false, TIMING, () -> now, changes::add);
        machine.start();
        machine.peerAlive(true);
        machine.peerRole(Role.ACTIVE);
        machine.peerRole(Role.LEAVING);
        machine.stop();
        assertThat(changes).extracting(RoleChange::from, RoleChange::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Role.INIT, Role.STANDBY),
                org.assertj.core.groups.Tuple.tuple(Role.STANDBY, Role.ACTIVE),
                org.assertj.core.groups.Tuple.tuple(Role.ACTIVE, Role.LEAVING));
        assertThat(changes.get(1).reason()).contains("a is leaving");
        assertThat(changes.get(2).reason()).isEqualTo("graceful stop");
    }

    @Test
    void aPairWiredTogetherNeverHasTwoActiveNodes() {
        // Two machines exchange roles every second over a perfect link; node a is preferred.
        Pair pair = new Pair(true);
        pair.start();
        pair.run(10);
        assertThat(pair.a.role()).isEqualTo(Role.ACTIVE);
        assertThat(pair.b.role()).isEqualTo(Role.STANDBY);

        pair.linkUp = false; // a's host dies
        pair.a.stop();
        pair.run(10);
        assertThat(pair.b.role()).isEqualTo(Role.ACTIVE);

        pair.a = pair.newMachine("a", "b"); // a comes back: with auto-failback it takes the VIP back
        pair.a.start();
        pair.linkUp = true;
        pair.run(19);
        assertThat(pair.b.role()).isEqualTo(Role.ACTIVE);
        pair.run(5);
        assertThat(pair.a.role()).isEqualTo(Role.ACTIVE);
        assertThat(pair.b.role()).isEqualTo(Role.STANDBY);
        assertThat(pair.maxActiveAtOnce).isEqualTo(1);
    }

    @Test
    void peerMustDifferFromNode() {
        assertThatThrownBy(() -> new RoleStateMachine("a", "a", "a", false, false, TIMING, () -> 0, c -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("peer: a");
    }

    private final class Pair {
        final boolean autoFailback;
        RoleStateMachine a;
        RoleStateMachine b;
        boolean linkUp = true;
        int maxActiveAtOnce;

        Pair(boolean autoFailback) {
            this.autoFailback = autoFailback;
            this.a = newMachine("a", "b");
            this.b = newMachine("b", "a");
        }

        RoleStateMachine newMachine(String node, String peer) {
            return new RoleStateMachine(node, peer, "a", autoFailback, false, TIMING, () -> now, c -> { });
        }

        void start() {
            a.start();
            b.start();
        }

        void run(int seconds) {
            for (int i = 0; i < seconds; i++) {
                now += Duration.ofSeconds(1).toNanos();
                if (linkUp) {
                    Role roleA = a.role();
                    Role roleB = b.role();
                    a.peerRole(roleB);
                    a.peerAlive(true);
                    b.peerRole(roleA);
                    b.peerAlive(true);
                } else {
                    a.peerAlive(false);
                    b.peerAlive(false);
                }
                a.tick();
                b.tick();
                int active = (a.role() == Role.ACTIVE ? 1 : 0) + (b.role() == Role.ACTIVE ? 1 : 0);
                maxActiveAtOnce = Math.max(maxActiveAtOnce, active);
            }
        }
    }
}
