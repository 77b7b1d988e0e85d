package io.rollforward.proxy.ordering;

import io.rollforward.config.DivergenceConfig.OnWrite;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, once every replica is done with an ordered write, which replicas are out of step: a
 * replica that failed the write (timeout, reset, connection refused or closed early) while another
 * replica answered it may or may not have applied it, so its state is unknown; and, with
 * {@code divergence.on-write: eject}, a replica whose reply differs in status from the one sent
 * applied something else. Pure: the exchange reports what happened, this says who goes.
 */
public final class OutOfStepRule {
    private OutOfStepRule() {
    }

    /**
     * What one replica did with the write.
     *
     * @param replica its name
     * @param status  the status of its full reply, or -1 when it gave none
     * @param missed  it failed the write in a way that leaves its state unknown (not: already DOWN,
     *                held back by the query-of-death guard, never sent)
     * @param failure why it failed, for the log, e.g. {@code timeout (no full reply within 5000ms)}
     */
    public record Copy(String replica, int status, boolean missed, String failure) {
        public static Copy answered(String replica, int status) {
            return new Copy(replica, status, false, null);
        }

        public static Copy missed(String replica, String failure) {
            return new Copy(replica, -1, true, failure);
        }

        public static Copy notSent(String replica) {
            return new Copy(replica, -1, false, null);
        }

        boolean answered() {
            return status >= 0;
        }
    }

    /** A replica to take out of step, and the line to log. */
    public record Verdict(String replica, String reason) {
    }

    /**
     * @param requestLine {@code POST /items}, for the reason
     * @param sent        the copy whose reply the client got, or null when none was sent
     */
    public static List<Verdict> judge(String requestLine, Copy sent, List<Copy> copies, OnWrite onWrite) {
        Copy witness = sent != null ? sent : copies.stream().filter(Copy::answered).findFirst().orElse(null);
        if (witness == null) {
            return List.of(); // nobody answered: the write failed everywhere, the replicas still agree
        }
        List<Verdict> out = new ArrayList<>(1);
        for (Copy c : copies) {
            if (c.missed()) {
                out.add(new Verdict(c.replica(), "failed " + requestLine + " (" + c.failure() + ") that "
                        + witness.replica() + " answered " + witness.status()));
            } else if (onWrite == OnWrite.EJECT && sent != null && c != sent && c.answered() && c.status() != sent.status()) {
                out.add(new Verdict(c.replica(), "answered " + requestLine + " with " + c.status() + " where "
                        + sent.replica() + " answered " + sent.status() + " (divergence.on-write: eject)"));
            }
        }
        return out;
    }
}
