package io.rollforward.proxy.schedule;

import static io.rollforward.proxy.schedule.FakeGroup.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** LARD and LARD/R (Pai et al., ASPLOS 1998, figures 2 and 3) with T_low 25, T_high 65. */
class LardTest {
    private static final int T_LOW = 25;
    private static final int T_HIGH = 65;

    private final List<FakeGroup> groups = weighted(1, 1, 1);

    private void loads(int a, int b, int c) {
        groups.get(0).load = a;
        groups.get(1).load = b;
        groups.get(2).load = c;
    }

    @Test
    void aNewTargetGoesToTheLeastLoadedGroupAndStays() {
        Lard lard = new Lard(T_LOW, T_HIGH, 100);
        loads(10, 3, 7);
        assertThat(lard.pick(groups, "/a")).isEqualTo(1);
        loads(0, 60, 0); // busier than the others, but not overloaded: locality wins
        assertThat(lard.pick(groups, "/a")).isEqualTo(1);
        assertThat(lard.reassignments()).isZero();
        assertThat(lard.tableEntries()).isEqualTo(1);
    }

    @Test
    void aboveTHighTheTargetMovesOnlyWhenSomeGroupIsBelowTLow() {
        Lard lard = new Lard(T_LOW, T_HIGH, 100);
        loads(0, 30, 30);
        assertThat(lard.pick(groups, "/a")).isEqualTo(0);
        loads(T_HIGH, 30, T_LOW); // at T_high, not above; nobody below T_low
        assertThat(lard.pick(groups, "/a")).isEqualTo(0);
        loads(T_HIGH + 1, 30, T_LOW); // above T_high, but T_low is not below T_low
        assertThat(lard.pick(groups, "/a")).isEqualTo(0);
        loads(T_HIGH + 1, 30, T_LOW - 1); // now some group is lightly loaded: move to the least loaded
        assertThat(lard.pick(groups, "/a")).isEqualTo(2);
        assertThat(lard.reassignments()).isEqualTo(1);
    }

    @Test
    void atTwiceTHighTheTargetMovesInAnyCase() {
        Lard lard = new Lard(T_LOW, T_HIGH, 100);
        loads(0, 100, 100);
        assertThat(lard.pick(groups, "/a")).isEqualTo(0);
        loads(2 * T_HIGH - 1, 100, 100);
        assertThat(lard.pick(groups, "/a")).isEqualTo(0);
        loads(2 * T_HIGH, 100, 100);
        assertThat(lard.pick(groups, "/a")).isEqualTo(1);
    }

    @Test
    void aTargetLeavesAGroupThatLeftTheSchedule() {
        Lard lard = new Lard(T_LOW, T_HIGH, 100);
        assertThat(lard.pick(groups, "/a")).isEqualTo(0);
        groups.get(0).available = false;
        assertThat(lard.pick(groups, "/a")).isEqualTo(1);
        groups.get(0).available = true; // back: /a stays where its cache now is
        assertThat(lard.pick(groups, "/a")).isEqualTo(1);
        groups.get(1).weight = 0; // quiesced
        assertThat(lard.pick(groups, "/a")).isEqualTo(0);
        assertThat(lard.reassignments()).isEqualTo(2);
        groups.forEach(g -> g.available = false);
        assertThat(lard.pick(groups, "/a")).isEqualTo(-1);
    }

    @Test
    void theTableIsBounded() {
        Lard lard = new Lard(T_LOW, T_HIGH, 50);
        for (int i = 0; i < 1000; i++) {
            lard.pick(groups, "/doc" + i);
        }
        assertThat(lard.tableEntries()).isLessThanOrEqualTo(50);
        LardReplicated lardR = new LardReplicated(T_LOW, T_HIGH, 1, 50, System::nanoTime);
        for (int i = 0; i < 1000; i++) {
            lardR.pick(groups, "/doc" + i);
        }
        assertThat(lardR.tableEntries()).isLessThanOrEqualTo(50);
    }

    /** A clock the test moves. */
    private static final class FakeClock {
        long nanos;

        void advance(long seconds) {
            nanos += TimeUnit.SECONDS.toNanos(seconds);
        }
    }

    @Test
    void lardRGrowsTheSetUnderLoadAndShrinksItAfterK() {
        FakeClock clock = new FakeClock();
        LardReplicated lardR = new LardReplicated(T_LOW, T_HIGH, TimeUnit.SECONDS.toNanos(20), 100, () -> clock.nanos);
        loads(0, 10, 20);
        assertThat(lardR.pick(groups, "/hot")).isEqualTo(0); // set {A}
        loads(T_HIGH + 1, 10, 20);
        assertThat(lardR.pick(groups, "/hot")).isEqualTo(1); // A overloaded, B is below T_low: set {A, B}
        assertThat(lardR.reassignments()).isEqualTo(1);
        loads(50, 40, 20);
        assertThat(lardR.pick(groups, "/hot")).isEqualTo(1); // least loaded member, C is not a member
        clock.advance(20); // not yet more than K since the set changed
        assertThat(lardR.pick(groups, "/hot")).isEqualTo(1);
        clock.advance(1);
        assertThat(lardR.pick(groups, "/hot")).isEqualTo(1); // K passed: A, the most loaded member, leaves
        loads(0, 40, 20);
        assertThat(lardR.pick(groups, "/hot")).isEqualTo(1); // set {B}: A idle does not matter
        clock.advance(100);
        assertThat(lardR.pick(groups, "/hot")).isEqualTo(1); // one member never shrinks
        assertThat(lardR.reassignments()).isEqualTo(1);
    }

    @Test
    void lardRAtTwiceTHighAddsTheLeastLoadedGroup() {
        FakeClock clock = new FakeClock();
        LardReplicated lardR = new LardReplicated(T_LOW, T_HIGH, TimeUnit.SECONDS.toNanos(20), 100, () -> clock.nanos);
        loads(0, 100, 100);
        assertThat(lardR.pick(groups, "/a")).isEqualTo(0);
        loads(2 * T_HIGH, 100, 120);
        assertThat(lardR.pick(groups, "/a")).isEqualTo(1);
        loads(2 * T_HIGH, 2 * T_HIGH, 120);
        assertThat(lardR.pick(groups, "/a")).isEqualTo(2); // both members overloaded: C joins
        assertThat(lardR.reassignments()).isEqualTo(2);
    }

    @Test
    void lardRDropsMembersThatLeftTheSchedule() {
        FakeClock clock = new FakeClock();
        LardReplicated lardR = new LardReplicated(T_LOW, T_HIGH, TimeUnit.SECONDS.toNanos(20), 100, () -> clock.nanos);
        assertThat(lardR.pick(groups, "/a")).isEqualTo(0);
        groups.get(0).available = false;
        assertThat(lardR.pick(groups, "/a")).isEqualTo(1);
        assertThat(lardR.reassignments()).isEqualTo(1);
    }
}
