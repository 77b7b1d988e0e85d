package io.rollforward.proxy.front;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.rollforward.proxy.exchange.ClientReply;
import io.rollforward.proxy.exchange.Exchange;
import io.rollforward.proxy.exchange.ExchangeServices;
import io.rollforward.proxy.exchange.ExchangeSettings;
import io.rollforward.proxy.schedule.GroupDispatcher;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaGroup;
import io.rollforward.proxy.replica.ReplicaSet;
import io.rollforward.proxy.ordering.StepKeeper;
import io.rollforward.proxy.ordering.WriteOrder;
import io.rollforward.proxy.ordering.WriteQueueFull;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Creates the {@link Exchange} for each request, from what every connection shares. What an
 * exchange is made of ({@link Serving}) sits in one reference that a reload replaces as a whole:
 * a new request reads it once, so it runs entirely on the old or entirely on the new config, and
 * exchanges in flight keep what they started with.
 */
public final class ExchangeFactory {
    /** The replicas, their groups and the settings new exchanges use; swapped whole by {@link #serve}. */
    public record Serving(ReplicaSet replicas, GroupDispatcher groups, ExchangeSettings settings) {
    }

    private final AtomicReference<Serving> serving = new AtomicReference<>();
    private final ExchangeServices services;
    private final InflightExchanges inflight;
    private final StepKeeper steps;

    public ExchangeFactory(ReplicaSet replicas, ExchangeSettings settings, ExchangeServices services,
                           InflightExchanges inflight) {
        this(replicas, GroupDispatcher.oneGroup(replicas), settings, services, inflight, StepKeeper.OFF);
    }

    /**
     * @param groups picks the replica group of each request, from {@code replicas}' own replicas
     * @param steps  orders writes and judges the replicas' step ({@link StepKeeper#OFF}: not at all)
     */
    public ExchangeFactory(ReplicaSet replicas, GroupDispatcher groups, ExchangeSettings settings,
                           ExchangeServices services, InflightExchanges inflight, StepKeeper steps) {
        this.services = services;
        this.steps = steps;
        this.inflight = inflight;
        serve(new Serving(replicas, groups, settings));
    }

    /** From now on new exchanges use {@code next} (reload); a new replica set is watched for DOWN. */
    public void serve(Serving next) {
        Serving before = serving.getAndSet(next);
        if (before == null || before.replicas() != next.replicas()) {
            next.replicas().onChange((replica, up) -> {
                if (!up) {
                    inflight.replicaDown(replica);
                }
            });
        }
    }

    public Serving serving() {
        return serving.get();
    }

    /**
     * Null when no group has a replica in service.
     *
     * @throws WriteQueueFull an ordered write over a queue bound: nothing was sent, the client gets 503
     */
    Exchange create(Channel client, FullHttpRequest request, ClientReply reply) throws WriteQueueFull {
        Serving now = serving.get();
        ReplicaGroup group = now.groups().pick(request);
        List<Replica> inService = group == null ? List.of() : group.inService();
        if (inService.isEmpty()) {
            return null;
        }
        // the request's place on every replica of its group, taken as it is received
        WriteOrder.Admission admission = steps.on()
                ? steps.admit(request, inService.stream().map(Replica::name).toList(), client.eventLoop())
                : null;
        group.dispatched(); // in flight from here until finished(), every replica's copy ended
        Exchange exchange = new Exchange(client, request, inService, now.settings(), services, new ClientReply() {
            @Override
            public void replied(Exchange e, boolean keepAlive) {
                reply.replied(e, keepAlive);
            }

            @Override
            public void finished(Exchange e) {
                group.finished();
                inflight.remove(client.eventLoop(), e);
                reply.finished(e);
            }
        }, steps, admission);
        inflight.add(client.eventLoop(), exchange);
        return exchange;
    }

    /** The groups new requests are scheduled over. */
    public GroupDispatcher groups() {
        return serving.get().groups();
    }

    public StepKeeper steps() {
        return steps;
    }

    public InflightExchanges inflight() {
        return inflight;
    }
}
