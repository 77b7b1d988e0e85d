package io.rollforward.heartbeat;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A snapshot of what {@link FailureDetector} knows about one node, for status pages and queries
 * from other threads.
 *
 * @param node       node name
 * @param liveness   the node as a whole: up while any link is up
 * @param links      liveness per link name
 * @param reported   the state the node last announced, if heard at all
 * @param generation the sender's generation (boot time, ms) from the last packet, 0 if never heard
 * @param load       the load figure from the last packet, if it carried one
 */
public record NodeStatus(String node, Liveness liveness, Map<String, Liveness> links,
                         Optional<NodeState> reported, long generation, OptionalInt load) {
    public NodeStatus {
        links = Map.copyOf(links);
    }
}
