package io.rollforward.proxy.admin;

import java.util.concurrent.CompletionStage;

/**
 * What the admin port's mutating calls do; the app implements it. Each call is made on the admin
 * port's event loop, so it must not block: start the work and return a stage that completes with
 * the result (e.g. a rejoin {@code hook} runs its resync command on its own thread). The admin
 * port has already checked the bearer token when a method is called.
 */
public interface AdminActions {
    /** {@code POST /drain}: stop taking new client requests, finish the ones in flight. */
    CompletionStage<AdminResult> drain();

    /** {@code POST /failover}: hand the active role (and the VIP) to the peer. */
    CompletionStage<AdminResult> failover();

    /**
     * {@code POST /replicas/{name}/rejoin}: let a replica held out by {@code rejoin: manual} serve
     * again. {@link AdminResult#notFound} when no replica has that name.
     */
    CompletionStage<AdminResult> rejoin(String replica);

    /**
     * {@code POST /reload}: re-read the config file; a valid one serves new requests, an invalid
     * one or one changing a restart-only setting is refused with the reasons (409).
     */
    default CompletionStage<AdminResult> reload() {
        return java.util.concurrent.CompletableFuture.completedFuture(AdminResult.conflict("reload is not available here"));
    }

    /**
     * {@code POST /groups/{name}/weight}: set a replica group's weight; 0 quiesces it (no new
     * requests, the ones in flight finish). {@link AdminResult#notFound} when no group has that name.
     */
    default CompletionStage<AdminResult> groupWeight(String group, int weight) {
        return java.util.concurrent.CompletableFuture.completedFuture(AdminResult.notFound("no group named " + group));
    }

    /**
     * {@code POST /cluster/vips/{address}/failback}: with {@code cluster.mode: ring} and
     * {@code failback: manual}, return the VIP to its home member (release, then acquire).
     */
    default CompletionStage<AdminResult> failback(String address) {
        return java.util.concurrent.CompletableFuture.completedFuture(
                AdminResult.conflict("no ring cluster is configured: nothing to fail back"));
    }

    /** True once a drain started: {@code /healthz} answers 503 so a load balancer stops sending. */
    boolean draining();
}
