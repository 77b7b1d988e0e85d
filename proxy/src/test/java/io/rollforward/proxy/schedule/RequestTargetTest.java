package io.rollforward.proxy.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.rollforward.config.LardConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code lard.target}: what names a request's target (the target's reading: {@code OriginFormTest}). */
class RequestTargetTest {

    @ParameterizedTest
    @CsvSource({"acme, acme", "'', ''"})
    void headerTargetIsTheHeaderValueOrEmpty(String value, String expected) {
        LardConfig lard = new LardConfig(LardConfig.Target.HEADER, Optional.of("X-Tenant"), 25, 65,
                Duration.ofSeconds(20), 10);
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x");
        if (!value.isEmpty()) {
            request.headers().set("x-tenant", value);
        }
        assertThat(RequestTarget.of(lard).apply(request)).isEqualTo(expected);
    }
}
