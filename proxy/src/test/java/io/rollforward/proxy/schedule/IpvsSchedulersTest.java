package io.rollforward.proxy.schedule;

import static io.rollforward.proxy.schedule.FakeGroup.sequence;
import static io.rollforward.proxy.schedule.FakeGroup.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** rr, wrr, lc and wlc against the Linux IPVS definitions (net/netfilter/ip_vs_*.c). */
class IpvsSchedulersTest {

    @Test
    void wrrWithWeights432GivesTheIpvsSequence() {
        List<FakeGroup> groups = weighted(4, 3, 2);
        assertThat(sequence(new WeightedRoundRobin(), groups, 18)).isEqualTo("AABABCABC" + "AABABCABC");
    }

    @Test
    void wrrSteppingUsesTheGcd() {
        // gcd 2, max 4: cw 4 then 2 -> A, then A B.
        assertThat(sequence(new WeightedRoundRobin(), weighted(4, 2), 6)).isEqualTo("AABAAB");
    }

    @Test
    void wrrSplits900RequestsExactly() {
        List<FakeGroup> groups = weighted(4, 3, 2);
        String s = sequence(new WeightedRoundRobin(), groups, 900);
        assertThat(s.chars().filter(c -> c == 'A').count()).isEqualTo(400);
        assertThat(s.chars().filter(c -> c == 'B').count()).isEqualTo(300);
        assertThat(s.chars().filter(c -> c == 'C').count()).isEqualTo(200);
    }

    @Test
    void wrrSkipsGroupsOutOfTheScheduleAndComesBackToThem() {
        List<FakeGroup> groups = weighted(4, 3, 2);
        WeightedRoundRobin wrr = new WeightedRoundRobin();
        groups.get(0).available = false;
        assertThat(sequence(wrr, groups, 5)).isEqualTo("BBCBC");
        groups.get(1).weight = 0; // quiesced
        assertThat(sequence(wrr, groups, 3)).isEqualTo("CCC");
        groups.get(2).available = false;
        assertThat(sequence(wrr, groups, 2)).isEqualTo("--");
        groups.forEach(g -> g.available = true);
        groups.get(1).weight = 3;
        String s = sequence(wrr, groups, 9);
        char[] sorted = s.toCharArray();
        java.util.Arrays.sort(sorted);
        assertThat(new String(sorted)).isEqualTo("AAAABBBCC");
    }

    @Test
    void rrTakesTurnsAndNeverPicksWeightZero() {
        List<FakeGroup> groups = weighted(5, 0, 1);
        assertThat(sequence(new RoundRobin(), groups, 4)).isEqualTo("ACAC");
        groups.get(1).weight = 1;
        assertThat(sequence(new RoundRobin(), groups, 3)).isEqualTo("ABC");
    }

    /** loads, weights, wlc's choice, lc's choice (-1 = none). */
    static Stream<Arguments> leastConnectionTable() {
        return Stream.of(
                Arguments.of(new int[] {0, 0, 0}, new int[] {1, 1, 1}, 0, 0), // ties to the earlier group
                Arguments.of(new int[] {3, 1, 2}, new int[] {1, 1, 1}, 1, 1),
                Arguments.of(new int[] {4, 3, 2}, new int[] {4, 3, 2}, 0, 2), // 1/1/1 per weight: tie -> first
                Arguments.of(new int[] {5, 3, 2}, new int[] {4, 3, 2}, 1, 2), // 1.25, 1, 1: B before C
                Arguments.of(new int[] {7, 1, 1}, new int[] {8, 1, 1}, 0, 1), // 0.875 < 1
                Arguments.of(new int[] {0, 9, 9}, new int[] {0, 3, 1}, 1, 1), // weight 0 never chosen, even idle
                Arguments.of(new int[] {1, 1}, new int[] {0, 0}, -1, -1),
                Arguments.of(new int[] {2_000_000, 1}, new int[] {2_000_000, 1}, 0, 1)); // no int overflow
    }

    @ParameterizedTest
    @MethodSource("leastConnectionTable")
    void wlcComparesLoadTimesWeightAndLcComparesLoad(int[] loads, int[] weights, int wlc, int lc) {
        List<FakeGroup> groups = new ArrayList<>();
        for (int i = 0; i < loads.length; i++) {
            groups.add(new FakeGroup("g" + i, weights[i], loads[i]));
        }
        assertThat(LeastConnection.weighted().pick(groups, "/")).isEqualTo(wlc);
        assertThat(LeastConnection.plain().pick(groups, "/")).isEqualTo(lc);
    }

    @Test
    void leastConnectionSkipsGroupsWithNothingInService() {
        List<FakeGroup> groups = weighted(1, 1);
        groups.get(1).load = 5;
        groups.get(0).available = false;
        assertThat(LeastConnection.weighted().pick(groups, "/")).isEqualTo(1);
        assertThat(LeastConnection.plain().pick(groups, "/")).isEqualTo(1);
    }
}
