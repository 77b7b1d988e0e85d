package io.rollforward.proxy.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * {@link WriteOrder} as scripts: requests are admitted on named loops (each a queue of tasks the
 * script runs by hand), replicas answer in the order the script says, and each step states who has
 * its turn. One concurrent run checks the order is the same on every replica when admissions and
 * answers race across threads.
 */
class WriteOrderTest {
    private static final List<String> BOTH = List.of("master", "backup");

    private final AtomicLong clock = new AtomicLong();
    private final List<String> events = new ArrayList<>();
    private final WriteOrder order = new WriteOrder("service", 100, 3, new WriteOrderEvents() {
        @Override
        public void waited(String keyKind, long nanos) {
            events.add("waited " + keyKind + " " + nanos);
        }

        @Override
        public void refused(String keyKind, String bound) {
            events.add("refused " + keyKind + " " + bound);
        }
    }, clock::get);
    private final ScriptLoop loopA = new ScriptLoop();
    private final ScriptLoop loopB = new ScriptLoop();
    private final List<String> sent = new ArrayList<>();

    /** An event loop whose tasks run only when the script says so. */
    static final class ScriptLoop implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            Runnable r;
            while ((r = tasks.poll()) != null) {
                r.run();
            }
        }
    }

    /** Admits request {@code name} and records "name@replica" when each copy gets its turn. */
    private WriteOrder.Admission write(String name, String key, ScriptLoop loop) throws WriteQueueFull {
        return request(name, key, true, loop);
    }

    private WriteOrder.Admission request(String name, String key, boolean write, ScriptLoop loop) throws WriteQueueFull {
        WriteOrder.Admission a = order.admit(key, write, BOTH, loop);
        for (OrderTicket t : a.tickets()) {
            t.awaitTurn(() -> sent.add(name + "@" + t.replica()));
        }
        return a;
    }

    private void runLoops() {
        loopA.runAll();
        loopB.runAll();
    }

    @Test
    void aReplicaGetsWriteKPlusOneOnlyAfterItAnsweredWriteK() throws WriteQueueFull {
        WriteOrder.Admission a = write("A", "", loopA);
        WriteOrder.Admission b = write("B", "", loopB);
        assertThat(sent).containsExactly("A@master", "A@backup");

        a.ticket("master").release(); // the master answered A; the backup is still on it
        assertThat(sent).as("B's turn is handed to B's own loop, not run here").hasSize(2);
        runLoops();
        assertThat(sent).containsExactly("A@master", "A@backup", "B@master");

        a.ticket("backup").release();
        runLoops();
        assertThat(sent).containsExactly("A@master", "A@backup", "B@master", "B@backup");
        b.tickets().forEach(OrderTicket::release);
        assertThat(order.queuedWrites()).isZero();
    }

    @Test
    void aSlowBackupDoesNotHoldTheMasterBack() throws WriteQueueFull {
        WriteOrder.Admission a = write("A", "", loopA);
        WriteOrder.Admission b = write("B", "", loopB);
        WriteOrder.Admission c = write("C", "", loopA);
        a.ticket("master").release();
        runLoops();
        b.ticket("master").release();
        runLoops();
        assertThat(sent).containsExactly("A@master", "A@backup", "B@master", "C@master");
        assertThat(order.queuedWrites()).as("A, B and C are all still on the backup").isEqualTo(3);
        a.ticket("backup").release();
        runLoops();
        assertThat(sent).endsWith("B@backup");
        c.ticket("master").release();
        b.ticket("backup").release();
        runLoops();
        assertThat(sent).endsWith("C@backup");
        c.ticket("backup").release();
        assertThat(order.queuedWrites()).isZero();
    }

    @Test
    void differentKeysRunInParallel() throws WriteQueueFull {
        write("A", "/a", loopA);
        write("B", "/b", loopB);
        assertThat(sent).containsExactly("A@master", "A@backup", "B@master", "B@backup");
    }

    @Test
    void aPlaceGivenUpBeforeItsTurnLetsTheNextThrough() throws WriteQueueFull {
        WriteOrder.Admission a = write("A", "", loopA);
        WriteOrder.Admission b = write("B", "", loopB);
        write("C", "", loopA);
        b.ticket("master").release(); // B timed out while queued on the master
        a.ticket("master").release();
        runLoops();
        assertThat(sent).containsExactly("A@master", "A@backup", "C@master");
        assertThat(sent).doesNotContain("B@master");
    }

    @Test
    void readsAfterWritesWaitForEarlierWritesOnlyAndWritesWaitForEarlierReads() throws WriteQueueFull {
        WriteOrder.Admission r1 = request("R1", "", false, loopA);
        WriteOrder.Admission r2 = request("R2", "", false, loopB);
        assertThat(sent).as("reads do not wait for reads").containsExactly("R1@master", "R1@backup", "R2@master", "R2@backup");
        WriteOrder.Admission w = write("W", "", loopA);
        request("R3", "", false, loopB);
        runLoops();
        assertThat(sent).as("W waits for the reads before it, R3 for W").hasSize(4);
        r1.tickets().forEach(OrderTicket::release);
        r2.ticket("master").release();
        runLoops();
        assertThat(sent).endsWith("W@master");
        w.ticket("master").release();
        runLoops();
        assertThat(sent).endsWith("R3@master");
        assertThat(sent).doesNotContain("W@backup", "R3@backup");
    }

    @Test
    void writesOverTheKeyBoundAreRefusedAndCounted() throws WriteQueueFull {
        write("A", "k", loopA);
        write("B", "k", loopA);
        WriteOrder.Admission c = write("C", "k", loopA);
        assertThatThrownBy(() -> write("D", "k", loopA)).isInstanceOf(WriteQueueFull.class)
                .hasMessageContaining("max-queued-writes-per-key")
                .extracting(e -> ((WriteQueueFull) e).bound()).isEqualTo("key");
        assertThat(events).contains("refused service key");
        write("E", "other", loopA); // another key is not affected
        assertThat(order.queuedWrites()).isEqualTo(4);
        c.tickets().forEach(OrderTicket::release);
        write("F", "k", loopA); // a place is free again
        request("R", "k", false, loopA); // reads are not bounded by the write limits
    }

    @Test
    void writesOverTheTotalBoundAreRefused() throws WriteQueueFull {
        WriteOrder small = new WriteOrder("path", 2, 2, WriteOrderEvents.NONE, clock::get);
        small.admit("/a", true, BOTH, loopA);
        small.admit("/b", true, BOTH, loopA);
        assertThatThrownBy(() -> small.admit("/c", true, BOTH, loopA))
                .isInstanceOf(WriteQueueFull.class).hasMessageContaining("limits.max-queued-writes)");
        assertThat(small.queuedWrites()).isEqualTo(2);
    }

    @Test
    void theWaitIsReportedWhenTheTurnComes() throws WriteQueueFull {
        WriteOrder.Admission a = write("A", "", loopA);
        clock.set(1_000);
        write("B", "", loopB);
        clock.set(5_000);
        a.ticket("master").release();
        runLoops();
        assertThat(events).containsExactly("waited service 0", "waited service 0", "waited service 4000");
    }

    @Test
    void statusShowsDepthsPerReplicaAndTheDeepestKeys() throws WriteQueueFull {
        WriteOrder.Admission a = write("A", "/a", loopA);
        write("B", "/a", loopA);
        write("C", "/b", loopA);
        a.ticket("master").release();
        Map<String, Object> status = order.status();
        assertThat(status).containsEntry("queued_writes", 3).containsEntry("keys", 2)
                .containsEntry("queued_per_replica", Map.of("master", 2, "backup", 3));
        assertThat(status.get("deepest_keys")).asList().first()
                .isEqualTo(Map.of("key", "/a", "queued_writes", 2));
    }

    @Test
    void racingLoopsStillGiveEveryReplicaTheSameOrder() throws Exception {
        WriteOrder shared = new WriteOrder("service", 10_000, 10_000, WriteOrderEvents.NONE, System::nanoTime);
        int loops = 4;
        int perLoop = 200;
        List<ExecutorService> executors = new ArrayList<>();
        Map<String, List<String>> turns = Map.of("master", Collections.synchronizedList(new ArrayList<>()),
                "backup", Collections.synchronizedList(new ArrayList<>()));
        try {
            for (int l = 0; l < loops; l++) {
                ExecutorService loop = Executors.newSingleThreadExecutor();
                executors.add(loop);
                int id = l;
                for (int i = 0; i < perLoop; i++) {
                    String name = id + "-" + i;
                    loop.execute(() -> {
                        try {
                            for (OrderTicket t : shared.admit("", true, BOTH, loop).tickets()) {
                                // answered at once, on its own loop: a release from inside a turn
                                t.awaitTurn(() -> {
                                    turns.get(t.replica()).add(name);
                                    loop.execute(t::release);
                                });
                            }
                        } catch (WriteQueueFull e) {
                            throw new AssertionError(e);
                        }
                    });
                }
            }
            org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> turns.get("backup").size() == loops * perLoop && shared.queuedWrites() == 0);
            assertThat(turns.get("master")).hasSize(loops * perLoop).isEqualTo(turns.get("backup"));
        } finally {
            executors.forEach(ExecutorService::shutdownNow);
        }
    }

    @Test
    void aTurnGrantedByAReleaseOnAnotherLoopWhileTheRequestIsAdmittedIsCountedOnce() throws WriteQueueFull {
        List<String> waits = new ArrayList<>();
        Runnable[] duringAdmission = {() -> { }};
        WriteOrder racing = new WriteOrder("service", 100, 3, new WriteOrderEvents() {
            @Override
            public void waited(String keyKind, long nanos) {
                waits.add(keyKind);
                duringAdmission[0].run();
            }
        }, clock::get);
        OrderTicket[] p = racing.admit("", true, BOTH, loopA).tickets().toArray(OrderTicket[]::new);
        p[0].release(); // the master answered P; the backup has not yet
        waits.clear();
        // Q is admitted while another loop releases P on the backup: the master's place is Q's at
        // once, the backup's is granted by that release (the interleaving of two real loops, here
        // on one thread: the release runs right after Q's places are taken)
        duringAdmission[0] = () -> {
            duringAdmission[0] = () -> { };
            p[1].release();
        };
        WriteOrder.Admission q = racing.admit("", true, BOTH, loopB);
        runLoops();

        assertThat(q.tickets()).allMatch(OrderTicket::hasTurn);
        assertThat(waits).as("one wait sample per place").hasSize(2);
    }
}
