package io.rollforward.proxy.front;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.rollforward.proxy.exchange.ClientReply;
import io.rollforward.proxy.exchange.DivergenceLog;
import io.rollforward.proxy.exchange.Exchange;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.exchange.ExchangeSettings;
import io.rollforward.proxy.schedule.GroupDispatcher;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaGroup;
import io.rollforward.proxy.replica.ReplicaSet;
import java.util.List;

/** Creates the {@link Exchange} for each request, from what every connection shares. */
public final class ExchangeFactory {
    private final GroupDispatcher groups;
    private final ExchangeSettings settings;
    private final ExchangeEvents events;
    private final DivergenceLog divergenceLog;
    private final InflightExchanges inflight;

    public ExchangeFactory(ReplicaSet replicas, ExchangeSettings settings, ExchangeEvents events,
                           DivergenceLog divergenceLog, InflightExchanges inflight) {
        this(replicas, GroupDispatcher.oneGroup(replicas), settings, events, divergenceLog, inflight);
    }

    /** @param groups picks the replica group of each request, from {@code replicas}' own replicas */
    public ExchangeFactory(ReplicaSet replicas, GroupDispatcher groups, ExchangeSettings settings, ExchangeEvents events,
                           DivergenceLog divergenceLog, InflightExchanges inflight) {
        this.groups = groups;
        this.settings = settings;
        this.events = events;
        this.divergenceLog = divergenceLog;
        this.inflight = inflight;
        replicas.onChange((replica, up) -> {
            if (!up) {
                inflight.replicaDown(replica);
            }
        });
    }

    /** Null when no group has a replica in service. */
    Exchange create(Channel client, FullHttpRequest request, ClientReply reply) {
        ReplicaGroup group = groups.pick(request);
        List<Replica> inService = group == null ? List.of() : group.inService();
        if (inService.isEmpty()) {
            return null;
        }
        group.dispatched(); // in flight from here until finished(), every replica's copy ended
        Exchange exchange = new Exchange(client, request, inService, settings, events, divergenceLog, new ClientReply() {
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
        });
        inflight.add(client.eventLoop(), exchange);
        return exchange;
    }

    public GroupDispatcher groups() {
        return groups;
    }

    public InflightExchanges inflight() {
        return inflight;
    }
}
