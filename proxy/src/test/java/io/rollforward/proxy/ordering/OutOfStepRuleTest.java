package io.rollforward.proxy.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollforward.config.DivergenceConfig.OnWrite;
import io.rollforward.proxy.ordering.OutOfStepRule.Copy;
import io.rollforward.proxy.ordering.OutOfStepRule.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who is out of step after an ordered write, case by case. */
class OutOfStepRuleTest {
    private static final String POST = "POST /items";

    @Test
    void aMasterThatTimedOutOnAWriteTheBackupAnsweredIsOutOfStep() {
        Copy master = Copy.missed("master", "timeout (no full reply within 500ms)");
        Copy backup = Copy.answered("backup", 200);
        assertThat(OutOfStepRule.judge(POST, backup, List.of(master, backup), OnWrite.LOG)).containsExactly(
                new Verdict("master", "failed POST /items (timeout (no full reply within 500ms)) that backup answered 200"));
    }

    @Test
    void aWriteThatFailedEverywhereTakesNobodyOut() {
        List<Copy> copies = List.of(Copy.missed("master", "reset"), Copy.missed("backup", "timeout"));
        assertThat(OutOfStepRule.judge(POST, null, copies, OnWrite.EJECT)).isEmpty();
    }

    @Test
    void aReplyNotSentButAnsweredStillWitnessesTheWrite() {
        // every reply was a fail-on-status one (none sent), but the backup did answer
        List<Copy> copies = List.of(Copy.missed("master", "reset"), Copy.answered("backup", 503));
        assertThat(OutOfStepRule.judge(POST, null, copies, OnWrite.LOG)).extracting(Verdict::replica).containsExactly("master");
    }

    @Test
    void copiesNeverSentOrAlreadyDownAreNotJudged() {
        Copy master = Copy.answered("master", 200);
        assertThat(OutOfStepRule.judge(POST, master, List.of(master, Copy.notSent("backup")), OnWrite.EJECT)).isEmpty();
    }

    @Test
    void aStatusDivergenceEjectsOnlyWithEject() {
        Copy master = Copy.answered("master", 200);
        Copy backup = Copy.answered("backup", 500);
        assertThat(OutOfStepRule.judge(POST, master, List.of(master, backup), OnWrite.LOG)).isEmpty();
        assertThat(OutOfStepRule.judge(POST, master, List.of(master, backup), OnWrite.EJECT)).containsExactly(
                new Verdict("backup", "answered POST /items with 500 where master answered 200 (divergence.on-write: eject)"));
    }

    @Test
    void agreeingRepliesKeepEveryoneInStep() {
        Copy master = Copy.answered("master", 201);
        Copy backup = Copy.answered("backup", 201);
        assertThat(OutOfStepRule.judge(POST, master, List.of(master, backup), OnWrite.EJECT)).isEmpty();
    }
}
