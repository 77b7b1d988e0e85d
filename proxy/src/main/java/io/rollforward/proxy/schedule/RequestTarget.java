package io.rollforward.proxy.schedule;

import io.netty.handler.codec.http.HttpRequest;
import io.rollforward.config.LardConfig;
import java.util.function.Function;

/** What names a request's target for LARD ({@code lard.target}): path, path and query, or a header. */
final class RequestTarget {
    private RequestTarget() {
    }

    static Function<HttpRequest, String> of(LardConfig lard) {
        return switch (lard.target()) {
            case PATH -> request -> path(request.uri(), false);
            case PATH_AND_QUERY -> request -> path(request.uri(), true);
            case HEADER -> {
                String header = lard.header().orElseThrow();
                yield request -> {
                    String value = request.headers().get(header);
                    return value == null ? "" : value;
                };
            }
        };
    }

    /** The origin-form part of {@code uri}: an absolute-form URI loses its scheme and authority. */
    static String path(String uri, boolean withQuery) {
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
        if (!withQuery) {
            int query = uri.indexOf('?', start);
            if (query >= 0) {
                end = query;
            }
        }
        int fragment = uri.indexOf('#', start);
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        return uri.substring(start, end);
    }
}
