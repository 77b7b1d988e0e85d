package io.rollforward.proxy.schedule;

import java.util.ArrayList;
import java.util.List;

/** A group whose weight, load and availability a test sets. */
final class FakeGroup implements Schedulable {
    final String name;
    int weight;
    int load;
    boolean available = true;

    FakeGroup(String name, int weight, int load) {
        this.name = name;
        this.weight = weight;
        this.load = load;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public int load() {
        return load;
    }

    @Override
    public boolean available() {
        return available;
    }

    /** Groups A, B, C ... with these weights and no load. */
    static List<FakeGroup> weighted(int... weights) {
        List<FakeGroup> groups = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            groups.add(new FakeGroup(String.valueOf((char) ('A' + i)), weights[i], 0));
        }
        return groups;
    }

    /** The names of {@code count} picks in a row, "-" for none. */
    static String sequence(GroupScheduler scheduler, List<FakeGroup> groups, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int pick = scheduler.pick(groups, "/");
            b.append(pick < 0 ? "-" : groups.get(pick).name);
        }
        return b.toString();
    }
}
