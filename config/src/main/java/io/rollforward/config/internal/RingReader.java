package io.rollforward.config.internal;

import io.rollforward.config.HostPort;
import io.rollforward.config.RingConfig;
import io.rollforward.config.VipConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code cluster} with {@code mode: ring}: the members and their JGroups addresses, the
 * key, the failure timeout, the VIPs with their home members, failback and quorum.
 */
final class RingReader {
    private static final HostPort NO_ADDRESS = new HostPort("invalid", 0);
    private static final String MEMBER = "a member: {name: proxy-a, address: 192.0.2.1:7800}";
    private static final String VIP = "a VIP: {address: 192.0.2.101/24, interface: eth0, home: proxy-a}";
    private static final ScalarType<RingConfig.Failback> FAILBACK =
            ScalarType.lowerCaseEnum("auto or manual", RingConfig.Failback.class);
    private static final ScalarType<RingConfig.Quorum> QUORUM =
            ScalarType.lowerCaseEnum("majority or none", RingConfig.Quorum.class);

    private RingReader() {
    }

    static RingConfig read(Section cluster, Path baseDir) {
        String node = cluster.required("node", ScalarType.NAME).orElse("?");
        List<RingConfig.Member> members = members(cluster);
        Set<String> names = members.stream().map(RingConfig.Member::name).collect(Collectors.toSet());
        if (cluster.ok("node") && cluster.ok("members") && !members.isEmpty()) {
            cluster.rule("node", names.contains(node), "one of members " + String.join(", ", sorted(names)));
        }
        Path keyFile = cluster.required("key-file", ScalarType.file(baseDir)).orElse(Path.of(""));
        Duration failureTimeout = cluster.positive("failure-timeout", RingConfig.DEFAULT_FAILURE_TIMEOUT);
        cluster.rule("failure-timeout", failureTimeout.toMillis() >= 100, ">= 100ms");
        List<RingConfig.RingVip> vips = vips(cluster, names);
        RingConfig.Failback failback = cluster.get("failback", FAILBACK, RingConfig.Failback.AUTO);
        Duration failbackDelay = cluster.duration("failback-delay", RingConfig.DEFAULT_FAILBACK_DELAY);
        RingConfig.Quorum quorum = cluster.get("quorum", QUORUM, RingConfig.Quorum.MAJORITY);
        if (quorum == RingConfig.Quorum.MAJORITY && cluster.ok("members") && !members.isEmpty()) {
            // Two members: either one alone is half, never a majority, so one crash would stop all service.
            cluster.rule("quorum", members.size() != 2,
                    "none with 2 members (one survivor is never a majority of 2; use mode: pair)");
        }
        cluster.finish();
        return new RingConfig(node, members, keyFile, failureTimeout, vips, failback, failbackDelay, quorum);
    }

    private static List<RingConfig.Member> members(Section cluster) {
        Optional<SequenceNode> sequence = cluster.sequence("members", "a list of members, " + MEMBER);
        if (sequence.isEmpty()) {
            if (!cluster.has("members")) {
                cluster.missing("members", "a list of every member, " + MEMBER);
            }
            return List.of();
        }
        List<Node> elements = sequence.get().getValue();
        if (elements.size() < 2) {
            cluster.problems().report(sequence.get(), "cluster.members", elements.size()
                    + " member(s) (expected: at least 2)");
        }
        List<RingConfig.Member> members = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> addresses = new HashMap<>();
        for (int i = 0; i < elements.size(); i++) {
            String path = cluster.pathOf("members") + "[" + i + "]";
            Optional<Section> open = Section.open(elements.get(i), path, cluster.problems(), MEMBER);
            if (open.isEmpty()) {
                continue;
            }
            Section member = open.get();
            String name = member.required("name", ScalarType.NAME).orElse("?");
            HostPort address = member.required("address", ScalarType.REMOTE_ADDRESS).orElse(NO_ADDRESS);
            member.finish();
            unique(member, "name", name, names, path);
            unique(member, "address", address.toString(), addresses, path);
            members.add(new RingConfig.Member(name, address));
        }
        return members;
    }

    private static List<RingConfig.RingVip> vips(Section cluster, Set<String> names) {
        Optional<SequenceNode> sequence = cluster.sequence("vips", "a list of VIPs, " + VIP);
        if (sequence.isEmpty()) {
            return List.of();
        }
        List<RingConfig.RingVip> vips = new ArrayList<>();
        Map<String, String> addresses = new HashMap<>();
        List<Node> elements = sequence.get().getValue();
        for (int i = 0; i < elements.size(); i++) {
            String path = cluster.pathOf("vips") + "[" + i + "]";
            Optional<Section> open = Section.open(elements.get(i), path, cluster.problems(), VIP);
            if (open.isEmpty()) {
                continue;
            }
            Section vip = open.get();
            String home = vip.required("home", ScalarType.NAME).orElse("?");
            if (vip.ok("home") && !names.isEmpty()) {
                vip.rule("home", names.contains(home), "one of members " + String.join(", ", sorted(names)));
            }
            VipConfig config = ClusterReader.vip(vip);
            if (vip.ok("address")) {
                unique(vip, "address", config.address(), addresses, path);
            }
            vips.add(new RingConfig.RingVip(config, home));
        }
        return vips;
    }

    private static void unique(Section section, String key, String value, Map<String, String> owners, String path) {
        if (!section.ok(key)) {
            return;
        }
        String owner = owners.putIfAbsent(value, path);
        if (owner != null) {
            section.rule(key, false, "unique, " + owner + " has it too");
        }
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
