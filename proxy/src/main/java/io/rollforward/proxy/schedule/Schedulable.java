package io.rollforward.proxy.schedule;

/** What a scheduler sees of one replica group. Values may change between calls (other threads). */
public interface Schedulable {
    /** Current weight; 0 = quiesced. */
    int weight();

    /** Exchanges in flight on the group (IPVS's "connections"). */
    int load();

    /** Whether some replica of the group is in service. */
    boolean available();

    /** In the schedule: available and weight &gt; 0 (IPVS skips weight-0 servers in every scheduler). */
    default boolean inSchedule() {
        return available() && weight() > 0;
    }
}
