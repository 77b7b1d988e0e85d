package io.rollforward.proxy.front;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.rollforward.proxy.exchange.ClientReply;
import io.rollforward.proxy.exchange.DivergenceLog;
import io.rollforward.proxy.exchange.Exchange;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.exchange.ExchangeSettings;
import io.rollforward.proxy.ordering.StepKeeper;
import io.rollforward.proxy.ordering.WriteOrder;
import io.rollforward.proxy.ordering.WriteQueueFull;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaSet;
import java.util.List;

/** Creates the {@link Exchange} for each request, from what every connection shares. */
public final class ExchangeFactory {
    private final ReplicaSet replicas;
    private final ExchangeSettings settings;
    private final ExchangeEvents events;
    private final DivergenceLog divergenceLog;
    private final InflightExchanges inflight;
    private final StepKeeper steps;

    public ExchangeFactory(ReplicaSet replicas, ExchangeSettings settings, ExchangeEvents events,
                           DivergenceLog divergenceLog, InflightExchanges inflight) {
        this(replicas, settings, events, divergenceLog, inflight, StepKeeper.OFF);
    }

    /** @param steps orders writes and judges the replicas' step ({@link StepKeeper#OFF}: not at all) */
    public ExchangeFactory(ReplicaSet replicas, ExchangeSettings settings, ExchangeEvents events,
                           DivergenceLog divergenceLog, InflightExchanges inflight, StepKeeper steps) {
        this.steps = steps;
        this.replicas = replicas;
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

    /**
     * Null when no replica is in service.
     *
     * @throws WriteQueueFull an ordered write over a queue bound: nothing was sent, the client gets 503
     */
    Exchange create(Channel client, FullHttpRequest request, ClientReply reply) throws WriteQueueFull {
        List<Replica> inService = replicas.inService();
        if (inService.isEmpty()) {
            return null;
        }
        // ORDERING HOOK: the request's place on every replica, taken as it is received
        WriteOrder.Admission admission = steps.on()
                ? steps.admit(request, inService.stream().map(Replica::name).toList(), client.eventLoop())
                : null;
        Exchange exchange = new Exchange(client, request, inService, settings, events, divergenceLog, new ClientReply() {
            @Override
            public void replied(Exchange e, boolean keepAlive) {
                reply.replied(e, keepAlive);
            }

            @Override
            public void finished(Exchange e) {
                inflight.remove(client.eventLoop(), e);
                reply.finished(e);
            }
        }, steps, admission);
        inflight.add(client.eventLoop(), exchange);
        return exchange;
    }

    public StepKeeper steps() {
        return steps;
    }

    public InflightExchanges inflight() {
        return inflight;
    }
}
