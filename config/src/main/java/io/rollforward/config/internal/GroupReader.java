package io.rollforward.config.internal;

import io.rollforward.config.GroupConfig;
import io.rollforward.config.LardConfig;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.SchedulerKind;
import io.rollforward.config.Scheduling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code scheduler}, {@code groups} (or a plain top-level {@code replicas} list, which is one
 * group) and the {@code lard} section.
 */
final class GroupReader {
    private static final ScalarType<SchedulerKind> SCHEDULER = new ScalarType<>(
            Arrays.stream(SchedulerKind.values()).map(SchedulerKind::configName).collect(Collectors.joining(", ")),
            SchedulerKind::parse);
    private static final String TARGET_EXPECTED = "path, path-and-query or header:NAME";
    private static final String GROUP_EXPECTED = "a group: {name: east, weight: 2, replicas: [...]}";

    /** A target as written: {@code path}, {@code path-and-query} or {@code header:X-Name}. */
    private record Target(LardConfig.Target kind, Optional<String> header) {
    }

    private static final ScalarType<Target> TARGET = new ScalarType<>(TARGET_EXPECTED, text -> {
        if (text.equals("path")) {
            return new Target(LardConfig.Target.PATH, Optional.empty());
        }
        if (text.equals("path-and-query")) {
            return new Target(LardConfig.Target.PATH_AND_QUERY, Optional.empty());
        }
        if (text.startsWith("header:")) {
            String name = ScalarType.HEADER_NAME.parser().parse(text.substring("header:".length()));
            return new Target(LardConfig.Target.HEADER, Optional.of(name));
        }
        throw new IllegalArgumentException(text);
    });

    private GroupReader() {
    }

    static Scheduling read(Section root, boolean agentsSection, boolean ordered) {
        SchedulerKind scheduler = root.get("scheduler", SCHEDULER, Scheduling.DEFAULT_SCHEDULER);
        ReplicaReader.Owners owners = new ReplicaReader.Owners();
        root.node("groups"); // known either way, so an unknown key's hint lists it
        List<GroupConfig> groups;
        if (root.has("groups")) {
            root.node("replicas");
            root.rule("replicas", !root.has("replicas"), "no top-level replicas next to groups: put them in a group");
            groups = groups(root, agentsSection, owners, ordered);
        } else {
            groups = List.of(new GroupConfig(GroupConfig.DEFAULT_NAME, GroupConfig.DEFAULT_WEIGHT,
                    ReplicaReader.readAll(root, agentsSection, owners, ordered)));
        }
        LardConfig lard = root.section("lard", "a mapping: {target: path, t-low: 25, t-high: 65}")
                .map(GroupReader::lard).orElse(LardConfig.DEFAULT);
        if (root.ok("scheduler")) {
            // Settings that would do nothing are more likely a mistake than a wish.
            root.rule("lard", !root.has("lard") || scheduler.locality(), "only with scheduler lard or lard-r");
        }
        return new Scheduling(scheduler, groups, lard);
    }

    private static List<GroupConfig> groups(Section root, boolean agentsSection, ReplicaReader.Owners owners,
                                            boolean ordered) {
        Optional<SequenceNode> sequence = root.sequence("groups", "a list of groups, " + GROUP_EXPECTED);
        if (sequence.isEmpty()) {
            return List.of();
        }
        List<Node> elements = sequence.get().getValue();
        if (elements.isEmpty()) {
            root.problems().report(sequence.get(), "groups", "no group (expected: at least 1)");
        }
        List<GroupConfig> groups = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        boolean weightsRead = true;
        for (int i = 0; i < elements.size(); i++) {
            String path = "groups[" + i + "]";
            Optional<Section> section = Section.open(elements.get(i), path, root.problems(), GROUP_EXPECTED);
            if (section.isEmpty()) {
                continue;
            }
            Section group = section.get();
            String name = group.required("name", ScalarType.NAME).orElse("?");
            String owner = names.putIfAbsent(name, path);
            group.rule("name", owner == null, "unique, " + owner + " has it too");
            int weight = group.atLeast("weight", 0, GroupConfig.DEFAULT_WEIGHT);
            weightsRead &= group.ok("weight");
            List<ReplicaConfig> replicas = ReplicaReader.readAll(group, agentsSection, owners, ordered);
            group.finish();
            groups.add(new GroupConfig(name, weight, replicas));
        }
        if (weightsRead && elements.size() == groups.size() && !groups.isEmpty() && groups.stream().allMatch(g -> g.weight() == 0)) {
            root.problems().report(sequence.get(), "groups", "every weight is 0 (expected: at least one group"
                    + " with weight > 0, or no request could be served)");
        }
        return groups;
    }

    private static LardConfig lard(Section lard) {
        LardConfig d = LardConfig.DEFAULT;
        Target target = lard.get("target", TARGET, new Target(d.target(), d.header()));
        int tLow = lard.atLeast("t-low", 1, d.tLow());
        int tHigh = lard.atLeast("t-high", 1, d.tHigh());
        if (lard.ok("t-low")) {
            lard.rule("t-high", tHigh > tLow, "> t-low " + tLow);
        }
        Duration shrink = lard.positive("set-shrink-after", d.setShrinkAfter());
        int tableSize = lard.atLeast("table-size", 1, d.tableSize());
        lard.finish();
        return new LardConfig(target.kind(), target.header(), tLow, tHigh, shrink, tableSize);
    }
}
