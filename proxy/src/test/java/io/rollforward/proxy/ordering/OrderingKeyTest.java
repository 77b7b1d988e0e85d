package io.rollforward.proxy.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.rollforward.config.OrderingConfig;
import io.rollforward.config.OrderingConfig.Key;
import io.rollforward.config.OrderingConfig.Reads;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The key each kind of {@code ordering.key} forms from a request target, and which requests are ordered. */
class OrderingKeyTest {

    static Stream<Arguments> keys() {
        return Stream.of(
                Arguments.of(Key.SERVICE, "/items?x=1", ""),
                Arguments.of(Key.PATH, "/items?x=1", "/items"),
                Arguments.of(Key.PATH, "/items#frag", "/items"),
                Arguments.of(Key.PATH, "http://shop.example/items/7?q", "/items/7"),
                Arguments.of(Key.PATH, "http://shop.example", "/"),
                Arguments.of(Key.pathPrefix(2), "/users/7/orders/3", "/users/7"),
                Arguments.of(Key.pathPrefix(2), "/users/7?x", "/users/7"),
                Arguments.of(Key.pathPrefix(2), "/users", "/users"),
                Arguments.of(Key.pathPrefix(1), "/users/7", "/users"),
                Arguments.of(Key.header("X-Tenant"), "/items", "acme"),
                Arguments.of(Key.header("X-Other"), "/items", ""));
    }

    @ParameterizedTest
    @MethodSource("keys")
    void formsTheKey(Key key, String uri, String expected) {
        OrderingKey keys = new OrderingKey(new OrderingConfig(OrderingConfig.DEFAULT_METHODS, key, Reads.FREE));
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
        request.headers().set("x-tenant", "acme");
        assertThat(keys.of(request)).isEqualTo(expected);
    }

    @Test
    void writesAreAlwaysOrderedReadsOnlyAfterWrites() {
        HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        HttpRequest get = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        OrderingKey free = new OrderingKey(OrderingConfig.DEFAULT);
        OrderingKey after = new OrderingKey(new OrderingConfig(OrderingConfig.DEFAULT_METHODS, Key.SERVICE, Reads.AFTER_WRITES));
        assertThat(free.isWrite(post)).isTrue();
        assertThat(free.isOrdered(get)).isFalse();
        assertThat(after.isOrdered(get)).isTrue();
        assertThat(after.isWrite(get)).isFalse();
        assertThat(free.kindTag()).isEqualTo("service");
    }
}
