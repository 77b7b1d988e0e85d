package io.rollforward.proxy.health;

import io.rollforward.config.RejoinConfig;
import io.rollforward.process.Command;
import io.rollforward.process.CommandRunner;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaSet;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's verdicts from every {@link HealthSource}, and its way back into service.
 *
 * <p>Any source reporting DOWN takes the replica out of service at once (the {@link ReplicaSet}
 * then rolls every in-flight exchange forward). When the last source says UP again, the replica's
 * rejoin policy decides: {@code immediate} returns it now; {@code manual} waits for
 * {@link #adminRejoin()}; {@code hook} runs the configured command and returns it when the command
 * exits 0. A stateful application wants manual or hook: a replica that was out missed the writes
 * made meanwhile.
 *
 * <p>Reports come from several threads (check scheduler, heartbeat loop, event loops); the state
 * here is small and guarded by this object's monitor, never held across I/O.
 */
public final class ReplicaHealth {
    private static final Logger log = LoggerFactory.getLogger(ReplicaHealth.class);

    /** Whether the replica waits for something before it rejoins. */
    public enum Waiting { NOTHING, MANUAL, HOOK }

    private final Replica replica;
    private final ReplicaSet set;
    private final CommandRunner hooks;
    private final Map<HealthSource, String> downBy = new EnumMap<>(HealthSource.class);
    private Waiting waiting = Waiting.NOTHING;
    private int passiveEjections;
    private Instant since = Instant.now();

    /** @param hooks runs {@code rejoin: hook} commands, off the caller's thread */
    ReplicaHealth(Replica replica, ReplicaSet set, CommandRunner hooks) {
        this.replica = replica;
        this.set = set;
        this.hooks = hooks;
    }

    public Replica replica() {
        return replica;
    }

    /** A source's verdict; repeated verdicts are cheap no-ops. Returns true when it changed this source's verdict. */
    public boolean report(HealthSource source, boolean up, String reason) {
        boolean changed = false;
        boolean takeOut = false;
        boolean readmit = false;
        synchronized (this) {
            if (!up) {
                boolean first = downBy.isEmpty();
                if (source == HealthSource.PASSIVE && !downBy.containsKey(source)) {
                    passiveEjections++;
                }
                if (downBy.put(source, reason) == null) {
                    changed = true;
                    log.info("replica {}: {} says DOWN ({})", replica.name(), source.tag(), reason);
                }
                // Out of step, it waits for a resync whatever else holds it down; set here, in the
                // same step as the verdict, so nobody sees it DOWN and waiting for nothing.
                waiting = downBy.containsKey(HealthSource.OUT_OF_STEP) ? resync() : Waiting.NOTHING;
                takeOut = first && replica.inService();
            } else if (downBy.remove(source) != null) {
                changed = true;
                log.info("replica {}: {} says UP ({})", replica.name(), source.tag(), reason);
                readmit = downBy.isEmpty() && !replica.inService();
            }
            if (takeOut || readmit) {
                since = Instant.now();
            }
        }
        if (takeOut) {
            set.setInService(replica, false, source.tag() + ": " + reason);
        } else if (readmit) {
            rejoin();
        }
        return changed;
    }

    /**
     * The replica failed an ordered write another replica answered: DOWN until it is resynced. With
     * {@code rejoin: hook} the hook runs now and its exit 0 clears the verdict; otherwise (manual) the
     * admin call does. Repeated verdicts while it is out do nothing more.
     */
    public void outOfStep(String reason) {
        if (!report(HealthSource.OUT_OF_STEP, false, reason)) {
            return;
        }
        log.warn("replica {} is out of step: {}; it stays out until it is resynced and rejoined", replica.name(), reason);
        RejoinConfig policy = replica.config().rejoin();
        if (policy.policy() != RejoinConfig.Policy.HOOK) {
            log.warn("replica {} waits for POST /replicas/{}/rejoin once its state is the others' again",
                    replica.name(), replica.name());
            return;
        }
        runHook(policy, "rejoin hook exited 0 after out_of_step");
    }

    /** What an out-of-step replica waits for: its hook, or (manual, or immediate set in code) the admin call. */
    private Waiting resync() {
        return replica.config().rejoin().policy() == RejoinConfig.Policy.HOOK ? Waiting.HOOK : Waiting.MANUAL;
    }

    /** How many times passive checks ejected the replica; an active check's streak restarts at each. */
    public synchronized int passiveEjections() {
        return passiveEjections;
    }

    /** True when {@code source} currently holds the replica DOWN. */
    public synchronized boolean isDownBy(HealthSource source) {
        return downBy.containsKey(source);
    }

    private void rejoin() {
        RejoinConfig policy = replica.config().rejoin();
        switch (policy.policy()) {
            case IMMEDIATE -> admit("every health source is UP (rejoin: immediate)");
            case MANUAL -> {
                synchronized (this) {
                    waiting = Waiting.MANUAL;
                }
                log.warn("replica {} is healthy again and waits for POST /replicas/{}/rejoin (rejoin: manual)",
                        replica.name(), replica.name());
            }
            case HOOK -> runHook(policy, "rejoin hook exited 0");
        }
    }

    /** Runs the rejoin hook; its exit 0 also clears out_of_step (it resynced the replica). */
    private void runHook(RejoinConfig policy, String admitted) {
        synchronized (this) {
            waiting = Waiting.HOOK;
        }
        runHookCommand(policy).thenAccept(ok -> {
            boolean admit;
            synchronized (this) {
                if (ok) {
                    downBy.remove(HealthSource.OUT_OF_STEP);
                } else {
                    waiting = Waiting.MANUAL;
                }
                admit = ok && waiting == Waiting.HOOK && downBy.isEmpty();
            }
            if (admit) {
                admit(admitted);
            } else if (!ok) {
                log.error("replica {} stays out: its rejoin hook failed; fix it, then POST /replicas/{}/rejoin",
                        replica.name(), replica.name());
            }
        });
    }

    /**
     * Starts the hook with {@code ROLLFORWARD_REPLICA} and {@code ROLLFORWARD_REPLICA_URL} in its
     * environment; true when it exits 0 within its timeout.
     */
    private CompletableFuture<Boolean> runHookCommand(RejoinConfig policy) {
        if (policy.command().isEmpty()) {
            log.error("replica {}: rejoin policy is hook but no command is configured", replica.name());
            return CompletableFuture.completedFuture(false);
        }
        Command command = Command.of(policy.timeout(), policy.command())
                .withEnv("ROLLFORWARD_REPLICA", replica.name())
                .withEnv("ROLLFORWARD_REPLICA_URL", "http://" + replica.config().address() + "/");
        return hooks.start(command).thenApply(result -> {
            if (result.ok()) {
                log.info("replica {}: rejoin hook {}", replica.name(), result.describe());
            } else {
                log.error("replica {}: rejoin hook {}", replica.name(), result.describe());
            }
            return result.ok();
        });
    }

    /**
     * The admin call; returns why not when the replica cannot rejoin now, else null. The operator's
     * call is also the word that an out-of-step replica was resynced: it clears that verdict.
     */
    public String adminRejoin() {
        synchronized (this) {
            Map<String, String> holding = reasons();
            holding.remove(HealthSource.OUT_OF_STEP.tag());
            if (!holding.isEmpty()) {
                return "replica " + replica.name() + " is still DOWN by " + String.join(", ", holding.keySet());
            }
            downBy.remove(HealthSource.OUT_OF_STEP);
            if (replica.inService()) {
                return "replica " + replica.name() + " is already in service";
            }
        }
        admit("rejoined by the admin call");
        return null;
    }

    private void admit(String why) {
        synchronized (this) {
            waiting = Waiting.NOTHING;
            since = Instant.now();
        }
        set.setInService(replica, true, why);
    }

    /** For /status. */
    public synchronized Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", replica.name());
        m.put("address", replica.config().address().toString());
        m.put("state", replica.inService() ? "UP" : "DOWN");
        m.put("down_by", reasons());
        m.put("waiting_for", waiting == Waiting.NOTHING ? null : waiting.name().toLowerCase(java.util.Locale.ROOT));
        m.put("rejoin", replica.config().rejoin().policy().name().toLowerCase(java.util.Locale.ROOT));
        m.put("since", since.toString());
        return m;
    }

    private Map<String, String> reasons() {
        Map<String, String> m = new LinkedHashMap<>();
        downBy.forEach((k, v) -> m.put(k.tag(), v));
        return m;
    }
}
