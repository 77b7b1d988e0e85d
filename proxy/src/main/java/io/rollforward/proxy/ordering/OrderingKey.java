package io.rollforward.proxy.ordering;

import io.netty.handler.codec.http.HttpRequest;
import io.rollforward.config.OrderingConfig;
import io.rollforward.proxy.http.OriginForm;

/**
 * Which requests are ordered and by what key: a write (one of {@code ordering.methods}) always,
 * any other request only with {@code reads: after-writes}. The key is formed from the request as
 * {@code ordering.key} says; requests with different keys never wait for each other.
 */
public final class OrderingKey {
    private final OrderingConfig config;

    public OrderingKey(OrderingConfig config) {
        this.config = config;
    }

    /** True for the methods that are ordered as writes. */
    public boolean isWrite(HttpRequest request) {
        return config.methods().contains(request.method().name());
    }

    /** True when the request takes a place in the order: every write, and reads with after-writes. */
    public boolean isOrdered(HttpRequest request) {
        return isWrite(request) || config.reads() == OrderingConfig.Reads.AFTER_WRITES;
    }

    /** The {@code key_kind} tag of the ordering metrics. */
    public String kindTag() {
        return config.key().kind().tag();
    }

    /** The ordering key of {@code request}. */
    public String of(HttpRequest request) {
        OrderingConfig.Key key = config.key();
        return switch (key.kind()) {
            case SERVICE -> "";
            case PATH -> OriginForm.path(request.uri());
            case PATH_PREFIX -> OriginForm.prefix(OriginForm.path(request.uri()), key.segments());
            case HEADER -> {
                String value = request.headers().get(key.header());
                yield value == null ? "" : value;
            }
        };
    }
}
