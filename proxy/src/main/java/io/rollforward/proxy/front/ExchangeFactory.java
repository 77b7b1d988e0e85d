package io.rollforward.proxy.front;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.rollforward.proxy.exchange.ClientReply;
import io.rollforward.proxy.exchange.Exchange;
import io.rollforward.proxy.exchange.ExchangeServices;
import io.rollforward.proxy.exchange.ExchangeSettings;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaSet;
import java.util.List;

/** Creates the {@link Exchange} for each request, from what every connection shares. */
public final class ExchangeFactory {
    private final ReplicaSet replicas;
    private final ExchangeSettings settings;
    private final ExchangeServices services;
    private final InflightExchanges inflight;

    public ExchangeFactory(ReplicaSet replicas, ExchangeSettings settings, ExchangeServices services,
                           InflightExchanges inflight) {
        this.replicas = replicas;
        this.settings = settings;
        this.services = services;
        this.inflight = inflight;
        replicas.onChange((replica, up) -> {
            if (!up) {
                inflight.replicaDown(replica);
            }
        });
    }

    /** Null when no replica is in service. */
    Exchange create(Channel client, FullHttpRequest request, ClientReply reply) {
        List<Replica> inService = replicas.inService();
        if (inService.isEmpty()) {
            return null;
        }
        Exchange exchange = new Exchange(client, request, inService, settings, services, new ClientReply() {
            @Override
            public void replied(Exchange e, boolean keepAlive) {
                reply.replied(e, keepAlive);
            }

            @Override
            public void finished(Exchange e) {
                inflight.remove(client.eventLoop(), e);
                reply.finished(e);
            }
        });
        inflight.add(client.eventLoop(), exchange);
        return exchange;
    }

    public InflightExchanges inflight() {
        return inflight;
    }
}
