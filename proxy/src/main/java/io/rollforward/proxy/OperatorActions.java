package io.rollforward.proxy;

import io.rollforward.proxy.admin.AdminActions;
import io.rollforward.proxy.admin.AdminResult;
import io.rollforward.proxy.health.HealthMonitor;
import io.rollforward.proxy.schedule.GroupDispatcher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/** What the admin port's mutating calls do to the running proxy. */
final class OperatorActions implements AdminActions {
    private final HealthMonitor health;
    private final Supplier<GroupDispatcher> groups;
    private final Runnable stopAccepting;
    private final Supplier<CompletionStage<AdminResult>> failover;
    private final Supplier<CompletionStage<AdminResult>> reload;
    private final Function<String, CompletionStage<AdminResult>> failback;
    private volatile boolean draining;

    OperatorActions(HealthMonitor health, Supplier<GroupDispatcher> groups, Runnable stopAccepting,
                    Supplier<CompletionStage<AdminResult>> failover, Supplier<CompletionStage<AdminResult>> reload,
                    Function<String, CompletionStage<AdminResult>> failback) {
        this.health = health;
        this.groups = groups;
        this.stopAccepting = stopAccepting;
        this.failover = failover;
        this.reload = reload;
        this.failback = failback;
    }

    @Override
    public CompletionStage<AdminResult> reload() {
        return reload.get(); // reads files: off the admin event loop
    }

    @Override
    public CompletionStage<AdminResult> drain() {
        if (draining) {
            return CompletableFuture.completedFuture(AdminResult.conflict("already draining"));
        }
        draining = true;
        stopAccepting.run();
        return CompletableFuture.completedFuture(AdminResult.ok(
                "draining: no new connections; requests in flight finish; /healthz answers 503"));
    }

    @Override
    public CompletionStage<AdminResult> failover() {
        return failover.get();
    }

    @Override
    public CompletionStage<AdminResult> failback(String address) {
        return failback.apply(address);
    }

    @Override
    public CompletionStage<AdminResult> rejoin(String replica) {
        return CompletableFuture.completedFuture(health.rejoin(replica)
                .map(refusal -> refusal.isEmpty()
                        ? AdminResult.ok("replica " + replica + " rejoined")
                        : AdminResult.conflict(refusal))
                .orElseGet(() -> AdminResult.notFound("no replica named " + replica)));
    }

    @Override
    public CompletionStage<AdminResult> groupWeight(String group, int weight) {
        return CompletableFuture.completedFuture(groups.get().setWeight(group, weight)
                ? AdminResult.ok("group " + group + ": weight " + weight + (weight == 0 ? " (quiesced)" : ""))
                : AdminResult.notFound("no group named " + group));
    }

    @Override
    public boolean draining() {
        return draining;
    }
}
