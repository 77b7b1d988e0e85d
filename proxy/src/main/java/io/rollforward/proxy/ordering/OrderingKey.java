package io.rollforward.proxy.ordering;

import io.netty.handler.codec.http.HttpRequest;
import io.rollforward.config.OrderingConfig;

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
            case PATH -> path(request.uri());
            case PATH_PREFIX -> prefix(path(request.uri()), key.segments());
            case HEADER -> {
                String value = request.headers().get(key.header());
                yield value == null ? "" : value;
            }
        };
    }

    /** The path of an origin-form or absolute-form target, without query or fragment. */
    static String path(String uri) {
        int start = 0;
        int scheme = uri.indexOf("://");
        if (scheme > 0 && !uri.startsWith("/")) {
            int slash = uri.indexOf('/', scheme + 3);
            if (slash < 0) {
                return "/";
            }
            start = slash;
        }
        int end = uri.length();
        for (int i = start; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        return start == end ? "/" : uri.substring(start, end);
    }

    /** The first {@code segments} segments: {@code /users/7/orders} with 2 is {@code /users/7}. */
    static String prefix(String path, int segments) {
        int seen = 0;
        for (int i = 1; i < path.length(); i++) {
            if (path.charAt(i) == '/' && ++seen == segments) {
                return path.substring(0, i);
            }
        }
        return path;
    }
}
