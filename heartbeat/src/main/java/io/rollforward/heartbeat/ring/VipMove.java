package io.rollforward.heartbeat.ring;

import java.util.Locale;

/**
 * A VIP got a new holder: from the last member that held it (null: nobody ever did) to
 * {@code to}, for {@code cause}.
 */
public record VipMove(String vip, String from, String to, Cause cause) {

    /** Why a VIP moved; the metric tag is the lower-case name. */
    public enum Cause {
        /** The first holder since start. */
        START,
        /** Its holder left the view (crash, partition, stop): TAKE_OVER. */
        TAKEOVER,
        /** Back to its home after failback-delay. */
        FAILBACK_AUTO,
        /** Back to its home on request. */
        FAILBACK_MANUAL,
        /** Two holders after a merge: one keeps it. */
        MERGE;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
