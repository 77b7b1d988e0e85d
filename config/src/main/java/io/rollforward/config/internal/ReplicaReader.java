package io.rollforward.config.internal;

import io.rollforward.config.CheckConfig;
import io.rollforward.config.DurationValue;
import io.rollforward.config.HostPort;
import io.rollforward.config.RejoinConfig;
import io.rollforward.config.ReplicaConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code replicas}: two or more web servers in priority order, each with its URL, an
 * optional ldirectord-style active check, an optional agent name and a rejoin policy.
 */
final class ReplicaReader {
    private static final HostPort NO_ADDRESS = new HostPort("invalid", 0);
    private static final String REJOIN_EXPECTED = "immediate, manual or {hook: [command, args...], timeout: 60s}";

    private ReplicaReader() {
    }

    /** Who has taken each replica name, URL and agent so far: they are unique over every group. */
    static final class Owners {
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, String> agents = new HashMap<>();
        private final Map<String, String> urls = new HashMap<>();
    }

    /**
     * The {@code replicas} list of {@code root} (the top level or one group).
     *
     * @param ordered whether the file orders writes: then no replica may rejoin by itself
     */
    static List<ReplicaConfig> readAll(Section root, boolean agentsSection, Owners owners, boolean ordered) {
        Optional<SequenceNode> sequence = root.sequence("replicas", "a list of replicas, master first");
        if (sequence.isEmpty()) {
            if (!root.has("replicas")) {
                root.missing("replicas", "a list of at least 2 replicas, master first");
            }
            return List.of();
        }
        List<Node> elements = sequence.get().getValue();
        if (elements.size() < 2) {
            root.problems().report(sequence.get(), root.pathOf("replicas"), elements.size()
                    + " replica(s) (expected: at least 2, a master and a backup)");
        }
        List<ReplicaConfig> replicas = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            String path = root.pathOf("replicas") + "[" + i + "]";
            Optional<Section> section = Section.open(elements.get(i), path, root.problems(),
                    "a replica: {name: web1, url: http://10.0.0.11:80}");
            if (section.isPresent()) {
                Section replica = section.get();
                ReplicaConfig config = read(replica, agentsSection, ordered);
                unique(replica, "name", config.name(), owners.names, path);
                // Two entries for one server would run every request, writes included, twice on it.
                unique(replica, "url", config.address().toString(), owners.urls, path);
                config.agent().ifPresent(agent -> unique(replica, "agent", agent, owners.agents, path));
                replicas.add(config);
            }
        }
        return replicas;
    }

    private static void unique(Section replica, String key, String value, Map<String, String> owners, String path) {
        String owner = owners.putIfAbsent(value, path);
        if (owner != null) {
            replica.rule(key, false, "unique, " + owner + " has it too");
        }
    }

    private static ReplicaConfig read(Section replica, boolean agentsSection, boolean ordered) {
        String name = replica.required("name", ScalarType.NAME).orElse("?");
        HostPort address = replica.required("url", ScalarType.HTTP_ORIGIN).orElse(NO_ADDRESS);
        Optional<String> agent = replica.optional("agent", ScalarType.NAME);
        // An agent name only means something if the proxy listens for agents.
        replica.rule("agent", agent.isEmpty() || agentsSection, "a top-level 'agents' section to receive its heartbeats");
        Optional<CheckConfig> check = replica.section("check",
                "a check: {request: /.testpage, expect-status: 200, interval: 2s}").map(ReplicaReader::check);
        RejoinConfig rejoin = replica.node("rejoin").map(node -> rejoin(node, replica)).orElse(RejoinConfig.IMMEDIATE);
        // A replica taken out of step missed a write: coming back by itself would serve a state the
        // others do not share.
        replica.rule("rejoin", !ordered || rejoin.policy() != RejoinConfig.Policy.IMMEDIATE,
                "manual or {hook: [...]} with 'ordering': a replica out of step must be resynced before it rejoins");
        replica.finish();
        return new ReplicaConfig(name, address, check, agent, rejoin);
    }

    private static CheckConfig check(Section check) {
        CheckConfig d = CheckConfig.DEFAULT;
        String request = check.get("request", ScalarType.STRING, d.request());
        check.rule("request", request.startsWith("/"), "a path starting with /");
        int expectStatus = check.get("expect-status", ScalarType.HTTP_STATUS, d.expectStatus());
        Optional<String> receive = check.optional("receive", ScalarType.STRING);
        Duration interval = check.positive("interval", d.interval());
        // A short interval without a timeout gets half of it, so that "interval: 500ms" alone is valid.
        Duration fallbackTimeout = interval.compareTo(d.timeout().multipliedBy(2)) < 0 && !interval.isZero()
                ? interval.dividedBy(2) : d.timeout();
        Duration timeout = check.positive("timeout", fallbackTimeout);
        if (check.ok("interval")) {
            check.rule("timeout", timeout.compareTo(interval) < 0, "< interval " + DurationValue.format(interval));
        }
        int rise = check.atLeast("rise", 1, d.rise());
        int fall = check.atLeast("fall", 1, d.fall());
        Optional<String> host = check.optional("host", ScalarType.HOST_HEADER);
        check.finish();
        return new CheckConfig(request, expectStatus, receive, interval, timeout, rise, fall, host);
    }

    private static RejoinConfig rejoin(Node node, Section replica) {
        String path = replica.pathOf("rejoin");
        if (node instanceof ScalarNode scalar) {
            switch (scalar.getValue()) {
                case "immediate":
                    return RejoinConfig.IMMEDIATE;
                case "manual":
                    return new RejoinConfig(RejoinConfig.Policy.MANUAL, List.of(), RejoinConfig.IMMEDIATE.timeout());
                default:
                    replica.problems().report(node, path, NodeShape.describe(node) + " (expected: " + REJOIN_EXPECTED + ")");
                    return RejoinConfig.IMMEDIATE;
            }
        }
        Optional<Section> hook = Section.open(node, path, replica.problems(), REJOIN_EXPECTED);
        if (hook.isEmpty()) {
            return RejoinConfig.IMMEDIATE;
        }
        Section section = hook.get();
        List<String> command = Commands.read(section, "hook", true);
        Duration timeout = section.positive("timeout", RejoinConfig.IMMEDIATE.timeout());
        section.finish();
        return new RejoinConfig(RejoinConfig.Policy.HOOK, command, timeout);
    }
}
