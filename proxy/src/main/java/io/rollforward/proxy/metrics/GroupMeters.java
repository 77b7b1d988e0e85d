package io.rollforward.proxy.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollforward.proxy.replica.ReplicaGroup;
import io.rollforward.proxy.schedule.GroupDispatcher;
import io.rollforward.proxy.schedule.GroupScheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * The replica groups' meters, read from the groups and the scheduler at scrape time (nothing is
 * added per request here: the group's own counters are the source). One name per quantity with a
 * {@code group} tag; LARD's two meters exist, at 0, under every scheduler, so dashboards and
 * alerts need no special case. A reload that builds new groups {@link #remove}s these and
 * registers the new dispatcher's (Micrometer would otherwise keep reading the old objects).
 */
public final class GroupMeters {
    private final MeterRegistry registry;
    private final List<Meter> meters;

    private GroupMeters(MeterRegistry registry, List<Meter> meters) {
        this.registry = registry;
        this.meters = List.copyOf(meters);
    }

    public static GroupMeters register(MeterRegistry registry, GroupDispatcher dispatcher) {
        List<Meter> meters = new ArrayList<>();
        for (ReplicaGroup g : dispatcher.groups()) {
            meters.add(FunctionCounter.builder("rollforward.group.requests", g, ReplicaGroup::requests)
                    .description("Requests the scheduler gave to the group").tag("group", g.name()).register(registry));
            meters.add(Gauge.builder("rollforward.group.inflight", g, ReplicaGroup::load)
                    .description("Exchanges of the group in flight now (the schedulers' load)")
                    .tag("group", g.name()).register(registry));
            meters.add(Gauge.builder("rollforward.group.weight", g, ReplicaGroup::weight)
                    .description("The group's current weight; 0 = quiesced").tag("group", g.name()).register(registry));
            meters.add(Gauge.builder("rollforward.group.in.schedule", g, group -> group.inSchedule() ? 1 : 0)
                    .description("1 while the group takes new requests (a replica in service and weight > 0)")
                    .tag("group", g.name()).register(registry));
        }
        GroupScheduler scheduler = dispatcher.scheduler();
        meters.add(FunctionCounter.builder("rollforward.lard.reassignments", scheduler, GroupScheduler::reassignments)
                .description("LARD targets moved (LARD/R: groups added to a target's set) for load or a group leaving")
                .register(registry));
        meters.add(Gauge.builder("rollforward.lard.table.entries", scheduler, GroupScheduler::tableEntries)
                .description("Targets in the LARD table").register(registry));
        return new GroupMeters(registry, meters);
    }

    /** Takes these meters off the registry. */
    public void remove() {
        meters.forEach(registry::remove);
    }
}
