package io.rollforward.proxy.schedule;

import io.netty.handler.codec.http.HttpRequest;
import io.rollforward.config.LardConfig;
import io.rollforward.proxy.http.OriginForm;
import java.util.function.Function;

/** What names a request's target for LARD ({@code lard.target}): path, path and query, or a header. */
final class RequestTarget {
    private RequestTarget() {
    }

    static Function<HttpRequest, String> of(LardConfig lard) {
        return switch (lard.target()) {
            case PATH -> request -> OriginForm.path(request.uri());
            case PATH_AND_QUERY -> request -> OriginForm.pathAndQuery(request.uri());
            case HEADER -> {
                String header = lard.header().orElseThrow();
                yield request -> {
                    String value = request.headers().get(header);
                    return value == null ? "" : value;
                };
            }
        };
    }
}
