package io.rollforward.heartbeat.ring;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What members say to each other on the ring's channel, as one UTF-8 line (JGroups encrypts it):
 * <pre>
 * R|member|inflight|rps|vip,vip      a {@link MemberReport}: load and VIPs held (every second and on change)
 * D|vip=holder,vip=holder            the coordinator's decision (on change and every second)
 * F|vip                              a manual failback request, to the coordinator
 * </pre>
 * VIP ids are {@code address/prefix} and member names are config names: neither contains
 * {@code | , =}.
 */
public sealed interface RingMessage {
    record Report(MemberReport report) implements RingMessage {
    }

    record Decision(Map<String, String> holders) implements RingMessage {
    }

    record FailbackRequest(String vip) implements RingMessage {
    }

    default byte[] encode() {
        String text;
        if (this instanceof Report r) {
            text = "R|" + r.report().member() + "|" + r.report().load().inflight() + "|"
                    + r.report().load().requestsPerSecond() + "|" + String.join(",", r.report().held().stream().sorted().toList());
        } else if (this instanceof Decision d) {
            text = "D|" + d.holders().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
        } else {
            text = "F|" + ((FailbackRequest) this).vip();
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException for a malformed message */
    static RingMessage decode(byte[] bytes) {
        String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\\|", -1);
        try {
            return switch (parts[0]) {
                case "R" -> new Report(new MemberReport(parts[1],
                        new MemberLoad(Integer.parseInt(parts[2]), Double.parseDouble(parts[3])), list(parts[4])));
                case "D" -> new Decision(pairs(parts[1]));
                case "F" -> new FailbackRequest(parts[1]);
                default -> throw new IllegalArgumentException("unknown ring message type " + parts[0]);
            };
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated ring message", e);
        }
    }

    private static Set<String> list(String text) {
        return text.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(text.split(",")));
    }

    private static Map<String, String> pairs(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : list(text)) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("malformed decision entry " + pair);
            }
            map.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return map;
    }
}
