package io.rollforward.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollforward.proxy.exchange.ReplyChoice.Dispatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision table of {@link ReplyChoice}, one script per scenario, steps separated by ';':
 * {@code start}, {@code stagger N} (copy N's stagger delay is over), {@code head N SHAPE}
 * (good head; SHAPE stands for status + framing), {@code bad N} (a head whose status is in
 * fail-on-status), {@code complete N}, {@code fail N CAUSE}, {@code caught N equal|differ},
 * {@code gone} (client closed, a write: its copies still run), {@code gone-safe} (client closed,
 * a safe method: its copies are dropped), {@code expect PHASE}, {@code did ACTIONS} (the actions since the
 * last {@code did}, comma-separated, e.g. {@code send0,head0}).
 */
class ReplyChoiceTest {
    record Scenario(String name, int copies, Dispatch dispatch, boolean holdBack, String script) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Scenario two(String name, String script) {
        return new Scenario(name, 2, Dispatch.ALL, true, script);
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                two("master answers: its reply streams, the backup is read to the end",
                        "start; did send0,send1; head 0 A; did head0; expect STREAMING; head 1 A; complete 1; did -;"
                                + " complete 0; expect REPLIED; all ended"),
                two("master dies before its head: the backup's reply, ready or later",
                        "start; did send0,send1; fail 0 reset; did forward-reset-head; expect WAITING_HEAD;"
                                + " head 1 A; did head1; complete 1; expect REPLIED"),
                two("backup ready before the master dies: sent at once",
                        "start; head 1 A; complete 1; did send0,send1; fail 0 timeout; did forward-timeout-head,head1;"
                                + " expect REPLIED"),
                two("master's status in fail-on-status: the backup's reply",
                        "start; bad 0; did send0,send1,forward-status-head; head 1 A; did head1; expect STREAMING"),
                two("master dies mid-body, backup of the same shape: splice once it caught up",
                        "start; head 0 A; head 1 A; did send0,send1,head0; fail 0 reset; did forward-reset-body,await1;"
                                + " expect SPLICING; caught 1 equal; did splice1; expect STREAMING; complete 1; expect REPLIED"),
                two("master dies mid-body, backup's prefix differs: closed honestly",
                        "start; head 0 A; head 1 A; fail 0 reset; did send0,send1,head0,forward-reset-body,await1;"
                                + " caught 1 differ; did abort-diverged; expect ABORTED"),
                two("master dies mid-body, backup has another status or framing: closed honestly",
                        "start; head 0 A; head 1 B; fail 0 timeout; did send0,send1,head0,forward-timeout-body,abort-diverged;"
                                + " expect ABORTED"),
                two("master dies mid-body, backup already failed: no backup",
                        "start; head 0 A; fail 1 reset; fail 0 reset; did send0,send1,head0,forward-reset-body,abort-no_backup"),
                two("master dies mid-body before the backup's head: the splice waits for its head",
                        "start; head 0 A; fail 0 down; did send0,send1,head0,forward-replica_down-body; expect SPLICING;"
                                + " head 1 A; did await1; caught 1 equal; did splice1; complete 1; expect REPLIED"),
                two("backup marked DOWN during the splice: no backup left",
                        "start; head 0 A; head 1 A; fail 0 reset; did send0,send1,head0,forward-reset-body,await1;"
                                + " fail 1 down; did abort-no_backup; expect ABORTED"),
                two("master fails after its reply is complete: nothing changes",
                        "start; head 0 A; complete 0; expect REPLIED; fail 1 reset; did send0,send1,head0; expect REPLIED"),
                two("both fail before a head: 502/504",
                        "start; fail 1 timeout; fail 0 timeout; did send0,send1,forward-timeout-head,fail; expect REPLIED; all ended"),
                two("client gone mid-splice: no more decisions, the copies run to the end",
                        "start; head 0 A; head 1 A; fail 0 reset; did send0,send1,head0,forward-reset-body,await1; gone;"
                                + " caught 1 equal; did -; expect ABANDONED; complete 1; all ended"),
                new Scenario("stagger: the backup goes out after its delay", 2, Dispatch.STAGGERED, true,
                        "start; did send0; stagger 1; did send1; head 0 A; complete 0; did head0; expect REPLIED"),
                new Scenario("stagger: the master's connection dies before the backup went out: held back", 2,
                        Dispatch.STAGGERED, true,
                        "start; fail 0 reset; did send0,forward-reset-head,hold1-quarantined,fail; expect REPLIED; all ended"),
                new Scenario("stagger: the master times out before the backup went out: it is sent now", 2,
                        Dispatch.STAGGERED, true,
                        "start; fail 0 timeout; did send0,forward-timeout-head,send1; head 1 A; did head1"),
                new Scenario("stagger: master dies mid-body before the backup went out: sent now, spliced when it catches up",
                        2, Dispatch.STAGGERED, true,
                        "start; head 0 A; fail 0 timeout; did send0,head0,forward-timeout-body,send1; expect SPLICING;"
                                + " head 1 A; did await1; caught 1 equal; did splice1"),
                new Scenario("pass-through: the backup only when the master failed", 2, Dispatch.PASS_THROUGH, true,
                        "start; did send0; head 0 A; complete 0; did head0,hold1-none; all ended"),
                new Scenario("pass-through: master dies before its head: the backup re-runs it", 2, Dispatch.PASS_THROUGH, true,
                        "start; fail 0 reset; did send0,forward-reset-head,send1; head 1 A; did head1"),
                new Scenario("pass-through: client gone before the head: the backup is not needed, the master runs on",
                        2, Dispatch.PASS_THROUGH, true,
                        "start; gone; did send0,hold1-client_gone; expect ABANDONED; head 0 A; complete 0; did -; all ended"),
                new Scenario("pass-through: client gone mid-body: the backup is not sent", 2, Dispatch.PASS_THROUGH, true,
                        "start; head 0 A; gone; did send0,head0,hold1-client_gone; fail 0 client_gone; did -; all ended"),
                new Scenario("pass-through: client gone, then the master fails: nobody re-runs it", 2, Dispatch.PASS_THROUGH, true,
                        "start; gone; fail 0 reset; did send0,hold1-client_gone; all ended"),
                new Scenario("stagger: client gone before the stagger: the backup still runs the request", 2,
                        Dispatch.STAGGERED, true,
                        "start; gone; did send0; stagger 1; did send1; head 1 A; complete 1; head 0 A; complete 0;"
                                + " expect ABANDONED; all ended"),
                new Scenario("stagger: client gone, then the master times out: the backup goes out at once", 2,
                        Dispatch.STAGGERED, true,
                        "start; gone; fail 0 timeout; did send0,send1; head 1 A; complete 1; expect ABANDONED; all ended"),
                new Scenario("canary: client gone, then the canary fails the same way: backups held back", 2,
                        Dispatch.CANARY, true,
                        "start; gone; fail 0 timeout; did send0,hold1-quarantined; all ended"),
                new Scenario("canary: client gone, the canary survives: the backups run it", 2, Dispatch.CANARY, true,
                        "start; gone; head 0 A; complete 0; did send0,send1; head 1 A; complete 1; all ended"),
                new Scenario("canary: client gone mid-body, the canary is dropped: the backups run it", 2, Dispatch.CANARY, true,
                        "start; head 0 A; gone; fail 0 client_gone; did send0,head0,send1; head 1 A; complete 1; all ended"),
                new Scenario("safe method: client gone before the stagger: the backup is not sent", 2, Dispatch.STAGGERED, true,
                        "start; gone-safe; did send0,hold1-client_gone; expect ABANDONED; fail 0 client_gone; did -; all ended"),
                new Scenario("safe method: client gone waiting for the canary: the backups are not sent", 2, Dispatch.CANARY, true,
                        "start; gone-safe; did send0,hold1-client_gone; fail 0 client_gone; did -; all ended"),
                two("safe method: client gone mid-body: nothing more is decided as the copies are dropped",
                        "start; head 0 A; head 1 A; gone-safe; did send0,send1,head0; fail 0 client_gone; fail 1 client_gone;"
                                + " did -; expect ABANDONED; all ended"),
                new Scenario("canary survives: the backups run it after the master's reply", 2, Dispatch.CANARY, true,
                        "start; did send0; head 0 A; did head0; complete 0; did send1; expect REPLIED"),
                new Scenario("canary fails the same way: backups held back, 502/504", 2, Dispatch.CANARY, true,
                        "start; fail 0 timeout; did send0,forward-timeout-head,hold1-quarantined,fail; all ended"),
                new Scenario("canary refused by status: the backups run it as usual", 2, Dispatch.CANARY, true,
                        "start; bad 0; did send0,forward-status-head,send1"),
                new Scenario("three copies: the first backup's prefix differs, the second one continues", 3, Dispatch.ALL, true,
                        "start; head 0 A; head 1 A; head 2 A; fail 0 reset; did send0,send1,send2,head0,forward-reset-body,await1;"
                                + " caught 1 differ; did await2; caught 2 equal; did splice2; complete 2; expect REPLIED"),
                new Scenario("one copy only: its failure mid-body is uncovered", 1, Dispatch.ALL, true,
                        "start; head 0 A; fail 0 reset; did send0,head0,forward-reset-body,abort-no_backup"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario(Scenario s) {
        List<String> did = new ArrayList<>();
        ReplyChoice choice = new ReplyChoice(s.copies(), s.dispatch(), s.holdBack(), new ReplyChoice.Actions() {
            @Override
            public void dispatch(int copy) {
                did.add("send" + copy);
            }

            @Override
            public void holdBack(int copy, FailureCause cause, String detail) {
                did.add("hold" + copy + "-" + (cause == null ? "none" : cause.tag()));
            }

            @Override
            public void sendHead(int copy) {
                did.add("head" + copy);
            }

            @Override
            public void awaitOffset(int copy) {
                did.add("await" + copy);
            }

            @Override
            public void spliceTo(int copy) {
                did.add("splice" + copy);
            }

            @Override
            public void replyFailure() {
                did.add("fail");
            }

            @Override
            public void abort(UncoveredReason reason) {
                did.add("abort-" + reason.tag());
            }

            @Override
            public void rolledForward(FailureCause cause, boolean midBody) {
                did.add("forward-" + cause.tag() + (midBody ? "-body" : "-head"));
            }
        });
        for (String raw : s.script().split(";")) {
            String[] w = raw.trim().split(" ");
            switch (w[0]) {
                case "start" -> choice.start();
                case "stagger" -> choice.staggerElapsed(Integer.parseInt(w[1]));
                case "head" -> choice.head(Integer.parseInt(w[1]), true, w[2]);
                case "bad" -> choice.head(Integer.parseInt(w[1]), false, "X");
                case "complete" -> choice.complete(Integer.parseInt(w[1]));
                case "fail" -> choice.failed(Integer.parseInt(w[1]), cause(w[2]));
                case "caught" -> choice.caughtUp(Integer.parseInt(w[1]), w[2].equals("equal"));
                case "gone" -> choice.clientGone(true);
                case "gone-safe" -> choice.clientGone(false);
                case "expect" -> assertThat(choice.phase()).as("%s: phase after '%s'", s.name(), raw)
                        .isEqualTo(ReplyChoice.Phase.valueOf(w[1]));
                case "did" -> {
                    assertThat(String.join(",", did)).as("%s: actions before '%s'", s.name(), raw)
                            .isEqualTo(w[1].equals("-") ? "" : w[1]);
                    did.clear();
                }
                case "all" -> assertThat(choice.allEnded()).as("%s: every copy ended", s.name()).isTrue();
                default -> throw new IllegalArgumentException("unknown step " + raw);
            }
        }
    }

    private static FailureCause cause(String word) {
        return word.equals("down") ? FailureCause.REPLICA_DOWN : FailureCause.valueOf(word.toUpperCase(Locale.ROOT));
    }
}
