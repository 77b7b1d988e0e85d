package io.rollforward.heartbeat;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the heartbeat layer reports, for assertions. */
final class RecordingEvents implements HeartbeatEvents {
    final Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);
    final List<String> log = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void rejected(RejectReason reason) {
        rejected.merge(reason, 1, Integer::sum);
    }

    synchronized int rejectedCount(RejectReason reason) {
        return rejected.getOrDefault(reason, 0);
    }

    synchronized int rejectedTotal() {
        return rejected.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public void late(String node, String link, Duration silence) {
        log.add("late " + node + "/" + link + " " + silence.toMillis());
    }

    @Override
    public void linkChanged(String node, String link, Liveness from, Liveness to) {
        log.add("link " + node + "/" + link + " " + from + "->" + to);
    }

    @Override
    public void nodeChanged(String node, Liveness from, Liveness to) {
        log.add("node " + node + " " + from + "->" + to);
    }

    @Override
    public void reportedStateChanged(String node, NodeState from, NodeState to) {
        log.add("state " + node + " " + from + "->" + to);
    }

    @Override
    public void restarted(String node, long oldGeneration, long newGeneration) {
        log.add("restarted " + node + " " + oldGeneration + "->" + newGeneration);
    }

    List<String> drain() {
        List<String> out = List.copyOf(log);
        log.clear();
        return out;
    }
}
